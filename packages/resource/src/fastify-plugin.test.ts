import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  TENANT,
  createClock,
  createSigningKey,
  createTestRealm,
  useFakeIssuer,
  type TestRealm,
} from '../test/fake-issuer.js';
import { ROUTES, SCENARIOS, runScenario } from '../test/policy-scenarios.js';
import { gatehousePlugin } from './fastify-plugin.js';

const server = useFakeIssuer();
const key = await createSigningKey('key-1');
const clock = createClock();
let realm: TestRealm;
let app: FastifyInstance;
let baseUrl: string;

/** Listens on 127.0.0.1 at a free port; returns the base URL. */
async function listen(instance: FastifyInstance): Promise<string> {
  return instance.listen({ port: 0, host: '127.0.0.1' });
}

beforeAll(async () => {
  realm = createTestRealm(server, `${TENANT}-U`, [key], { clock });
  app = Fastify();
  await app.register(gatehousePlugin, { issuer: realm.issuer, audience: AUDIENCE, jwks: realm.store, now: clock.now });
  for (const [path, policy] of Object.entries(ROUTES)) {
    app.get(path, { config: { gatehouse: policy } }, async (request) => {
      const { sub, tenant, actor } = request.gatehouse!;
      return { sub, tenant, actor };
    });
  }
  // The decorator's helpers work as route hooks too.
  app.post(
    '/v1/answers',
    { onRequest: app.gatehouse.require({ requiredScopes: ['core.aiservices.write'], actor: 'user' }) },
    async (_request, reply) => reply.code(201).send({ created: true }),
  );
  app.get('/public', async (request) => ({ claims: request.gatehouse ?? null }));
  baseUrl = await listen(app);
});
afterAll(async () => {
  await app.close();
});

describe('gatehousePlugin over HTTP', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => runScenario(baseUrl, scenario, realm.token));
  }

  it('decorates the instance with the helpers and leaves routes without config.gatehouse open', async () => {
    expect(app.hasDecorator('gatehouse')).toBe(true);
    expect(app.hasRequestDecorator('gatehouse')).toBe(true);
    const response = await fetch(`${baseUrl}/public`);
    expect([response.status, await response.json()]).toEqual([200, { claims: null }]);
  });

  it('checks a route’s onRequest built from app.gatehouse before reading the body', async () => {
    const post = async (authorization: string | undefined) =>
      fetch(`${baseUrl}/v1/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: '{not json',
      });
    // Refused for the token, not for the malformed body: the check ran first.
    const refused = await post(`Bearer ${await realm.token({ scope: 'core.aiservices.read' })}`);
    expect(refused.status).toBe(403);
    const anonymous = await post(undefined);
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, `Bearer realm="${AUDIENCE}"`]);
  });
});

describe('gatehousePlugin encapsulation', () => {
  it('registered in a child context protects that context only; its sibling has neither decorator nor hook', async () => {
    const root = Fastify();
    await root.register(async (protectedScope) => {
      await protectedScope.register(gatehousePlugin, { verifier: realm.verifier });
      protectedScope.get('/inside', { config: { gatehouse: true } }, async (request) => ({
        sub: request.gatehouse?.sub,
      }));
      expect(protectedScope.hasDecorator('gatehouse')).toBe(true);
    });
    await root.register(async (sibling) => {
      // Same route option, but no plugin here: nothing checks it.
      sibling.get('/outside', { config: { gatehouse: true } }, async () => ({ open: true }));
      expect(sibling.hasDecorator('gatehouse')).toBe(false);
    });
    const base = await listen(root);
    expect(root.hasDecorator('gatehouse')).toBe(false);
    expect((await fetch(`${base}/inside`)).status).toBe(401);
    const inside = await fetch(`${base}/inside`, { headers: { authorization: `Bearer ${await realm.token()}` } });
    expect(inside.status).toBe(200);
    expect((await fetch(`${base}/outside`)).status).toBe(200);
    await root.close();
  });

  it('refuses to be registered twice in one context, and a bad route policy fails at start-up', async () => {
    const twice = Fastify();
    await twice.register(gatehousePlugin, { verifier: realm.verifier });
    await expect(twice.register(gatehousePlugin, { verifier: realm.verifier })).rejects.toMatchObject({
      code: 'FST_ERR_DEC_ALREADY_PRESENT',
    });
    await twice.close();

    const bad = Fastify();
    await bad.register(gatehousePlugin, { verifier: realm.verifier });
    expect(() => bad.get('/x', { config: { gatehouse: { actor: 'admin' as never } } }, async () => ({}))).toThrow(
      TypeError,
    );
    await bad.close();
  });
});
