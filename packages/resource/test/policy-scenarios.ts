// The same routes and expectations for the Express middleware and the Fastify plugin, checked
// over real HTTP, so both frameworks answer identically (RFC 6750 §3). Test-only.
import { expect } from 'vitest';
import type { AccessPolicy } from '../src/access-policy.js';
import { TENANT, USER_ID } from './fake-issuer.js';

const READ = 'core.aiservices.read';
const WRITE = 'core.aiservices.write';
const REALM = 'https://api.example.test';

/** Each protected route of the test APIs, with its policy (`true`: any valid token). */
export const ROUTES: Record<string, AccessPolicy | true> = {
  '/me': true,
  '/all': { requiredScopes: [READ, WRITE] },
  '/any': { anyScope: ['core.admin', READ] },
  '/agents': { actor: 'user' },
  '/customers': { actor: ['customer'] },
  '/tenant': { tenant: TENANT },
  '/other-tenant': { tenant: ['OTHER1', 'OTHER2'] },
  '/check': { check: async (claims) => claims.clientId === 'spa-demo' },
  '/combined': { requiredScopes: [READ], anyScope: [WRITE, 'core.admin'] },
};

export interface Scenario {
  name: string;
  path: string;
  /** Claim overrides for the token; null sends no Authorization header, a string sends it as is. */
  token: Record<string, unknown> | null | { header: string };
  status: number;
  wwwAuthenticate?: string;
  body: unknown;
}

const challenge = (rest = '') => `Bearer realm="${REALM}"${rest}`;
const forbidden = (scope?: string, description = 'The access token does not grant the required scope') =>
  challenge(`, error="insufficient_scope", error_description="${description}"${scope ? `, scope="${scope}"` : ''}`);
const NOT_ALLOWED = 'The access token does not allow this request';

export const SCENARIOS: Scenario[] = [
  {
    name: 'a valid token passes and the claims reach the handler',
    path: '/me',
    token: {},
    status: 200,
    body: { sub: USER_ID, tenant: TENANT, actor: 'user' },
  },
  {
    name: 'no token: 401 with a bare challenge (RFC 6750 §3.1)',
    path: '/me',
    token: null,
    status: 401,
    wwwAuthenticate: challenge(),
    body: { error_description: 'The request has no access token' },
  },
  {
    name: 'an expired token: 401 invalid_token',
    path: '/me',
    token: { exp: 1 },
    status: 401,
    wwwAuthenticate: challenge(', error="invalid_token", error_description="The access token expired"'),
    body: { error: 'invalid_token', error_description: 'The access token expired' },
  },
  {
    name: 'two credentials: 400 invalid_request',
    path: '/me',
    token: { header: 'Bearer a, Bearer b' },
    status: 400,
    wwwAuthenticate: expect.stringContaining('error="invalid_request"') as unknown as string,
    body: expect.objectContaining({ error: 'invalid_request' }),
  },
  {
    name: 'requiredScopes: all granted passes',
    path: '/all',
    token: { scope: `${READ} ${WRITE}` },
    status: 200,
    body: expect.anything(),
  },
  {
    name: 'requiredScopes: one missing is 403 insufficient_scope naming all of them',
    path: '/all',
    token: { scope: READ },
    status: 403,
    wwwAuthenticate: forbidden(`${READ} ${WRITE}`),
    body: { error: 'insufficient_scope', error_description: 'The access token does not grant the required scope' },
  },
  {
    name: 'anyScope: one of them passes',
    path: '/any',
    token: { scope: `openid ${READ}` },
    status: 200,
    body: expect.anything(),
  },
  {
    name: 'anyScope: none of them is 403 naming the alternatives',
    path: '/any',
    token: { scope: 'openid' },
    status: 403,
    wwwAuthenticate: forbidden(`core.admin ${READ}`),
    body: expect.objectContaining({ error: 'insufficient_scope' }),
  },
  {
    name: 'required and any together: both met passes',
    path: '/combined',
    token: { scope: `${READ} core.admin` },
    status: 200,
    body: expect.anything(),
  },
  {
    name: 'required and any together: the any part unmet is 403 naming a sufficient set',
    path: '/combined',
    token: { scope: READ },
    status: 403,
    wwwAuthenticate: forbidden(`${READ} ${WRITE} core.admin`),
    body: expect.objectContaining({ error: 'insufficient_scope' }),
  },
  {
    name: 'actor: an agent token on an agents route passes',
    path: '/agents',
    token: {},
    status: 200,
    body: expect.anything(),
  },
  {
    name: 'actor: an agent token on a customers route is 403 without a scope attribute',
    path: '/customers',
    token: {},
    status: 403,
    wwwAuthenticate: forbidden(undefined, NOT_ALLOWED),
    body: { error: 'insufficient_scope', error_description: NOT_ALLOWED },
  },
  { name: 'tenant: the right tenant passes', path: '/tenant', token: {}, status: 200, body: expect.anything() },
  {
    name: 'tenant: another tenant is 403',
    path: '/other-tenant',
    token: {},
    status: 403,
    wwwAuthenticate: forbidden(undefined, NOT_ALLOWED),
    body: { error: 'insufficient_scope', error_description: NOT_ALLOWED },
  },
  { name: 'custom check: true passes', path: '/check', token: {}, status: 200, body: expect.anything() },
  {
    name: 'custom check: false is 403',
    path: '/check',
    token: { client_id: 'someone-else' },
    status: 403,
    wwwAuthenticate: forbidden(undefined, NOT_ALLOWED),
    body: { error: 'insufficient_scope', error_description: NOT_ALLOWED },
  },
];

/** Sends the scenario's request to `baseUrl` and checks the exact answer. */
export async function runScenario(
  baseUrl: string,
  scenario: Scenario,
  token: (overrides: Record<string, unknown>) => Promise<string>,
): Promise<void> {
  const headers: Record<string, string> = {};
  if (scenario.token !== null) {
    headers.authorization =
      'header' in scenario.token ? (scenario.token.header as string) : `Bearer ${await token(scenario.token)}`;
  }
  const response = await fetch(`${baseUrl}${scenario.path}`, { headers });
  expect(response.status).toBe(scenario.status);
  expect(response.headers.get('www-authenticate') ?? undefined).toEqual(scenario.wwwAuthenticate);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await response.json()).toEqual(scenario.body);
}
