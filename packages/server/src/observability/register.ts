import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { registerHealthRoutes } from './health.js';
import type { Metrics } from './metrics.js';

/**
 * What operations needs from the public app: the request id sent back as `X-Request-Id`, each
 * answered request counted and timed by route pattern and status, and /healthz and /readyz.
 */
export function registerObservability(app: FastifyInstance, metrics: Metrics, db: Kysely<Database>): void {
  // Callback-style hooks: every request runs them, and an async hook costs a promise each.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Request-Id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: bounded label values.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  registerHealthRoutes(app, db);
}
