import type { FastifyInstance } from 'fastify';

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the SPA: only the configured origins, no cookies (the SPA authenticates with a Bearer
 * token, so credentials mode is never needed). `WWW-Authenticate` is exposed so the SPA can show
 * why a call was refused (RFC 6750 §3: `insufficient_scope`, `invalid_token`).
 */
export function registerCors(app: FastifyInstance, origins: readonly string[], methods: readonly string[]): void {
  const allowed = new Set(origins);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Vary', 'Origin');
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Expose-Headers', 'WWW-Authenticate');
    }
  });

  // Preflight: an Authorization header makes every call from the SPA non-simple (Fetch standard).
  app.options('/*', async (_request, reply) => {
    if (reply.hasHeader('Access-Control-Allow-Origin')) {
      reply.header('Access-Control-Allow-Methods', methods.join(', '));
      reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      reply.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    return reply.code(204).send();
  });
}
