import type { FastifyInstance } from 'fastify';
import { FAVICON_ETAG, FAVICON_ICO } from '../pages/favicon.js';
import { serverPageContext } from '../pages/page-context.js';
import { renderRootPage } from '../pages/root.js';
import { sendPage } from '../pending.js';

/** Favicon lifetime in browser caches, in seconds (1 day); the ETag revalidates it cheaply after. */
const FAVICON_MAX_AGE_SECONDS = 86_400;

/** `/` (a small page saying what this server is) and `/favicon.ico`, which every page's browser asks for. */
export function registerRootRoutes(app: FastifyInstance): void {
  app.get('/', { config: { html: true } }, async (request, reply) => {
    const pc = serverPageContext(request);
    return sendPage(reply, pc, 200, renderRootPage(pc));
  });

  app.get('/favicon.ico', async (request, reply) => {
    reply.header('Cache-Control', `public, max-age=${FAVICON_MAX_AGE_SECONDS}`);
    reply.header('ETag', FAVICON_ETAG);
    reply.header('X-Content-Type-Options', 'nosniff');
    if (request.headers['if-none-match'] === FAVICON_ETAG) return reply.code(304).send();
    return reply.code(200).type('image/x-icon').send(FAVICON_ICO);
  });
}
