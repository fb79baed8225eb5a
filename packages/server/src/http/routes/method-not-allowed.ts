import type { FastifyInstance, HTTPMethods } from 'fastify';

const ALL: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** 405 with an Allow header (RFC 9110 §15.5.6) for every method a path does not serve. */
export function methodNotAllowed(app: FastifyInstance, url: string, allowed: readonly HTTPMethods[]): void {
  const others = ALL.filter((method) => !allowed.includes(method) && !(method === 'HEAD' && allowed.includes('GET')));
  app.route({
    method: others,
    url,
    handler: async (_request, reply) =>
      reply
        .code(405)
        .header('Allow', allowed.join(', '))
        .header('Cache-Control', 'no-store')
        .send({
          error: 'invalid_request',
          error_description: `use ${allowed.filter((m) => m !== 'OPTIONS').join(' or ')}`,
        }),
  });
}
