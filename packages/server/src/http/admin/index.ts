import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AdminCaller, canAccessTenant, SYSTEM_TENANT_ID } from '../../admin/caller.js';
import { AdminNotFound } from '../../admin/errors.js';
import type { AppContext } from '../../context.js';
import { setNoStore } from '../security.js';
import { createAdminAuthenticator } from './authenticate.js';
import { CLIENT_USER_ROUTES } from './client-user-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { adminErrorHandler, problem, sendProblem } from './problem.js';
import type { AdminRoute } from './route-table.js';
import type { JsonSchema } from './schemas.js';
import { TENANT_ROUTES } from './tenant-routes.js';

export const ADMIN_ROUTES: readonly AdminRoute[] = [...TENANT_ROUTES, ...CLIENT_USER_ROUTES];

/**
 * The admin API at /admin/api/v1 and its OpenAPI document at /admin/api/openapi.json. Routes read
 * input, call the admin functions the CLI also calls, and render; errors are problem+json.
 */
export async function registerAdminApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(
    async (api) => {
      api.setErrorHandler(adminErrorHandler);
      // A DELETE or a body-less POST sent with Content-Type: application/json is fine here.
      api.removeContentTypeParser('application/json');
      api.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        if (body === '') return done(null, undefined);
        try {
          done(null, JSON.parse(body as string));
        } catch {
          done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }), undefined);
        }
      });
      api.setNotFoundHandler((_request, reply) => sendProblem(reply, problem(404, 'no such resource')));
      const document = buildOpenApiDocument(ctx.config.publicUrl, ADMIN_ROUTES);
      api.get('/openapi.json', async (_request, reply) => reply.header('Cache-Control', 'no-cache').send(document));
      await api.register(
        async (v1) => {
          const authenticate = createAdminAuthenticator(ctx);
          const callers = new WeakMap<FastifyRequest, AdminCaller>();
          // Authentication comes first: a request without credentials learns nothing, not even 400.
          v1.addHook('onRequest', async (request) => {
            callers.set(request, await authenticate(request));
          });
          for (const route of ADMIN_ROUTES) {
            v1.route({
              method: route.method,
              url: route.url,
              schema: {
                ...(route.body ? { body: route.body } : {}),
                ...(route.querystring ? { querystring: route.querystring } : {}),
              },
              preValidation: async (request) => {
                // Another tenant's resources are not found, whatever the body: no hint, not even a 400.
                const tenant = (request.params as { tenant_id?: string }).tenant_id;
                if (tenant !== undefined && !visibleTenant(callers.get(request) as AdminCaller, tenant))
                  throw new AdminNotFound(`unknown tenant ${tenant}`);
                if (route.body) rejectUnknownFields(request.body ?? {}, route.body, '');
              },
              handler: async (request, reply) => {
                setNoStore(reply);
                const result = await route.handle({
                  ctx,
                  caller: callers.get(request) as AdminCaller,
                  params: request.params as Record<string, string>,
                  query: (request.query ?? {}) as Record<string, unknown>,
                  body: (request.body ?? {}) as Record<string, unknown>,
                });
                reply.code(route.status);
                return route.status === 204 ? reply.send() : reply.send(result);
              },
            });
          }
        },
        { prefix: '/v1' },
      );
    },
    { prefix: '/admin/api' },
  );
}

function visibleTenant(caller: AdminCaller, tenant: string): boolean {
  return tenant !== SYSTEM_TENANT_ID && canAccessTenant(caller, tenant);
}

/**
 * Fastify's validator drops unknown properties silently; a typo like `redirect_uri` must instead
 * be refused, so an operator does not believe a change was made.
 */
function rejectUnknownFields(value: unknown, schema: JsonSchema, path: string): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    const child = properties[key];
    if (!child) {
      const field = `${path}/${key}`;
      throw Object.assign(new Error(`unknown field ${field}`), {
        statusCode: 400,
        validation: [{ instancePath: field, keyword: 'additionalProperties', message: 'is not a known field' }],
        validationContext: 'body',
      });
    }
    rejectUnknownFields(inner, child, `${path}/${key}`);
  }
}
