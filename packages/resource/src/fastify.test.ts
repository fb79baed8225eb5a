import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  TENANT,
  USER_ID,
  accessTokenClaims,
  createClock,
  createSigningKey,
  createTestRealm,
  signAccessToken,
  useFakeIssuer,
  type TestRealm,
} from '../test/fake-issuer.js';
import { gatehouseAuth } from './fastify.js';

const server = useFakeIssuer();
const key = await createSigningKey('key-1');
const clock = createClock();
let issuer: string;
let token: TestRealm['token'];
let app: FastifyInstance;

beforeAll(async () => {
  const realm = createTestRealm(server, `${TENANT}-U`, [key], { clock });
  ({ issuer, token } = realm);

  const auth = gatehouseAuth({ issuer, audience: AUDIENCE, jwks: realm.store, now: clock.now });
  app = Fastify();
  app.get('/v1/answers', { preHandler: auth.requireScopes('core.aiservices.read') }, async (request) => ({
    sub: request.gatehouse?.sub,
    tenant: request.gatehouse?.tenant,
  }));
  app.post('/v1/answers', { preHandler: auth.requireScopes('core.aiservices.write') }, async () => ({ created: true }));
  app.get('/v1/me', { preHandler: auth.authenticate }, async (request) => ({ scopes: request.gatehouse?.scopes }));
  app.get('/health', async (request) => ({ authenticated: request.gatehouse !== undefined }));
  app.get(
    '/v1/customers-only',
    { preHandler: auth.require({ actor: 'customer', anyScope: ['openid'] }) },
    async () => ({
      ok: true,
    }),
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('gatehouseAuth preHandler', () => {
  it('lets a valid token with the scope through and exposes the claims as request.gatehouse', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ sub: USER_ID, tenant: TENANT });
  });

  it('authenticate accepts any valid token whatever its scopes', async () => {
    const authorization = `bearer ${await token({ scope: 'openid' })}`;
    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ scopes: ['openid'] });
  });

  it('require(policy) applies claim checks too: an agent token on a customers-only route is 403 insufficient_scope', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/customers-only',
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="https://api.example.test", error="insufficient_scope", error_description="The access token does not allow this request"',
    );
    const customer = await app.inject({
      method: 'GET',
      url: '/v1/customers-only',
      headers: { authorization: `Bearer ${await token({ actor: 'customer' })}` },
    });
    expect(customer.statusCode).toBe(200);
  });

  it('answers a request without a token 401 with a bare Bearer challenge', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/answers' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="https://api.example.test"');
    expect(response.json()).toEqual({ error_description: 'The request has no access token' });
  });

  it('never reads a token from the query string', async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/answers?access_token=${await token()}` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="https://api.example.test"');
  });

  it('answers an invalid token 401 invalid_token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ aud: 'https://other.example.test' })}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="https://api.example.test", error="invalid_token", error_description="The access token is not intended for this audience"',
    );
    expect(response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The access token is not intended for this audience',
    });
  });

  it('answers a token without the route scope 403 insufficient_scope', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="https://api.example.test", error="insufficient_scope", error_description="The access token does not grant the required scope", scope="core.aiservices.write"',
    );
    expect(response.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token does not grant the required scope',
    });
  });

  it('answers a malformed Authorization header 400 invalid_request', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/answers', headers: { authorization: 'Bearer a b' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="https://api.example.test", error="invalid_request", error_description="The request must carry exactly one access token"',
    );
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The request must carry exactly one access token',
    });
  });

  it('leaves unprotected routes alone', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ authenticated: false });
  });

  it('answers 503 when the issuer keys cannot be fetched', async () => {
    const downIssuer = server.issuer('DOWN-U');
    server.answer(downIssuer, { status: 500, body: '' });
    const down = Fastify();
    const auth = gatehouseAuth({ issuer: downIssuer, audience: AUDIENCE, realm: 'answers' });
    down.get('/v1/answers', { preHandler: auth.authenticate }, async () => 'unreachable');
    const t = await signAccessToken(key, accessTokenClaims(downIssuer, Math.floor(Date.now() / 1000)));
    const response = await down.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${t}` },
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="answers"');
    expect(response.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'The access token cannot be verified at the moment',
    });
    await down.close();
  });
});

describe('gatehouseAuth refuses at start-up', () => {
  it('bad options, a bad realm and invalid scopes', () => {
    expect(() => gatehouseAuth({ issuer: 'nope', audience: AUDIENCE })).toThrow(
      new TypeError('issuer must be an absolute URL, got "nope"'),
    );
    expect(() => gatehouseAuth({ issuer, audience: AUDIENCE, realm: 'a\nb' })).toThrow(
      new TypeError('realm must be a string of printable ASCII characters'),
    );
    const auth = gatehouseAuth({ issuer, audience: AUDIENCE });
    expect(() => auth.requireScopes('read write')).toThrow(TypeError);
  });

  it('shares a verifier passed in', () => {
    const first = gatehouseAuth({ issuer, audience: AUDIENCE });
    expect(gatehouseAuth({ verifier: first.verifier }).verifier).toBe(first.verifier);
  });
});

describe('gatehouseAuth with introspection', () => {
  async function apiFor(introspectionSecret: string) {
    const introIssuer = server.issuer(`INTRO-${introspectionSecret}-U`);
    server.publish(introIssuer, [key]);
    server.serveIntrospection(introIssuer, { clientId: 'reports-api', clientSecret: 'api-secret-1' });
    const auth = gatehouseAuth({
      issuer: introIssuer,
      audience: AUDIENCE,
      now: clock.now,
      introspection: { clientId: 'reports-api', clientSecret: introspectionSecret },
    });
    const api = Fastify();
    api.get('/v1/answers', { preHandler: auth.requireScopes('core.aiservices.read') }, async (request) => ({
      sub: request.gatehouse?.sub,
    }));
    await api.ready();
    const bearer = async () => `Bearer ${await signAccessToken(key, accessTokenClaims(introIssuer, clock.seconds()))}`;
    return { api, bearer };
  }

  it('lets an active token through and answers the same token 401 invalid_token once it is revoked', async () => {
    const { api, bearer } = await apiFor('api-secret-1');
    const authorization = await bearer();
    const ok = await api.inject({ method: 'GET', url: '/v1/answers', headers: { authorization } });
    expect([ok.statusCode, ok.json()]).toEqual([200, { sub: USER_ID }]);

    server.revoke(authorization.slice('Bearer '.length));
    const revoked = await api.inject({ method: 'GET', url: '/v1/answers', headers: { authorization } });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.headers['www-authenticate']).toBe(
      'Bearer realm="https://api.example.test", error="invalid_token", error_description="The access token was revoked"',
    );
    expect(revoked.json()).toEqual({ error: 'invalid_token', error_description: 'The access token was revoked' });
    await api.close();
  });

  it('answers 503 with a bare challenge when the introspection endpoint refuses the API credentials', async () => {
    const { api, bearer } = await apiFor('wrong-secret');
    const response = await api.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: await bearer() },
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="https://api.example.test"');
    expect(response.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'The access token cannot be verified at the moment',
    });
    await api.close();
  });
});
