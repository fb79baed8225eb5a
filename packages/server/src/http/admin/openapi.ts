import type { AdminRoute } from './route-table.js';
import { problemSchema } from './schemas.js';

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** OpenAPI 3.1 for the admin API, built from the route table and the schemas Fastify validates with. */
export function buildOpenApiDocument(publicUrl: string, routes: readonly AdminRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([a-z_]+)/g, '{$1}');
    const parameters: unknown[] = [...route.url.matchAll(/:([a-z_]+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = route.querystring?.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [name, schema] of Object.entries(query ?? {}))
      parameters.push({ name, in: 'query', required: false, schema });
    const responses: Record<string, unknown> = {
      [String(route.status)]:
        route.status === 204
          ? { description: 'Done' }
          : { description: 'Success', content: { 'application/json': { schema: route.response ?? {} } } },
      401: problemResponse('No, or an invalid, access token or API key (with WWW-Authenticate)'),
      403: problemResponse('The token lacks the gatehouse.admin scope, or its holder is no administrator'),
      404: problemResponse('No such resource, or one the caller may not see'),
    };
    if (route.body || route.querystring)
      responses[400] = problemResponse('Invalid input; `errors` names each field at fault');
    if (route.method === 'POST' || route.method === 'DELETE')
      responses[409] = problemResponse('Conflicts with what exists');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: route.body.required !== undefined && (route.body.required as unknown[]).length > 0,
              content: { 'application/json': { schema: route.body } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse admin API',
      version: '1',
      description:
        'Manage tenants, scopes, client applications, people, signing keys and the audit trail. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: `${publicUrl}/admin/api/v1` }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An access token of the GATEHOUSE-U realm with scope gatehouse.admin (client gatehouse-console), or an API key (gh_adm_…).',
        },
      },
    },
    paths,
  };
}
