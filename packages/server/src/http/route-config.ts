/**
 * Gatehouse's own route options (`config` of a Fastify route). `html: true` marks the person's
 * pages: their errors render as an HTML page instead of an OAuth JSON body (http/error-mapper.ts).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    html?: boolean;
  }
}

export type { FastifyContextConfig } from 'fastify';
