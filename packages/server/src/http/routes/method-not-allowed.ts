import type { FastifyInstance, HTTPMethods } from 'fastify';
import { sendMethodNotAllowed } from '../error-mapper.js';

const ALL: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** 405 with an Allow header (RFC 9110 §15.5.6) for every method a path does not serve. */
export function methodNotAllowed(app: FastifyInstance, url: string, allowed: readonly HTTPMethods[]): void {
  const others = ALL.filter((method) => !allowed.includes(method) && !(method === 'HEAD' && allowed.includes('GET')));
  app.route({ method: others, url, handler: async (_request, reply) => sendMethodNotAllowed(reply, allowed) });
}
