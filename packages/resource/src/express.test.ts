import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
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
import { gatehouseExpress } from './express.js';

const server = useFakeIssuer();
const key = await createSigningKey('key-1');
const clock = createClock();
let realm: TestRealm;
let http: Server;
let baseUrl: string;
const rejections: Array<{ status: number; error: string | undefined; detail: string | undefined }> = [];

beforeAll(async () => {
  realm = createTestRealm(server, `${TENANT}-U`, [key], { clock });
  const auth = gatehouseExpress({
    issuer: realm.issuer,
    audience: AUDIENCE,
    jwks: realm.store,
    now: clock.now,
    onRejected: (rejection) => rejections.push(rejection),
  });
  const app = express();
  for (const [path, policy] of Object.entries(ROUTES)) {
    app.get(path, policy === true ? auth.authenticate : auth.require(policy), (request, response) => {
      const { sub, tenant, actor } = request.gatehouse!;
      response.json({ sub, tenant, actor });
    });
  }
  app.post('/v1/answers', auth.requireScopes('core.aiservices.write'), (_request, response) => {
    response.status(201).json({ created: true });
  });
  http = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
});

describe('gatehouseExpress middleware over HTTP', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => runScenario(baseUrl, scenario, realm.token));
  }

  it('requireScopes guards a POST route; the handler never runs for a refused request', async () => {
    const post = async (scope: string) =>
      fetch(`${baseUrl}/v1/answers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await realm.token({ scope })}` },
      });
    expect((await post('core.aiservices.write')).status).toBe(201);
    const refused = await post('core.aiservices.read');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token does not grant the required scope',
    });
  });

  it('reports each refusal to onRejected with its log-only detail', async () => {
    rejections.length = 0;
    await fetch(`${baseUrl}/customers`, { headers: { authorization: `Bearer ${await realm.token()}` } });
    expect(rejections).toEqual([
      { status: 403, error: 'insufficient_scope', detail: 'actor user is not one of customer' },
    ]);
  });

  it('passes an error thrown by a custom check to next(), for Express to answer 500', async () => {
    const auth = gatehouseExpress({ verifier: realm.verifier });
    const app = express();
    app.get('/boom', auth.require({ check: () => Promise.reject(new Error('database down')) }), (_q, s) => s.json({}));
    app.use((error: Error, _q: express.Request, response: express.Response, _next: express.NextFunction) => {
      response.status(500).json({ caught: error.message });
    });
    const listening = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const response = await fetch(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/boom`, {
      headers: { authorization: `Bearer ${await realm.token()}` },
    });
    expect([response.status, await response.json()]).toEqual([500, { caught: 'database down' }]);
    await new Promise((resolve) => listening.close(resolve));
  });

  it('rejects bad options and policies when they are built, not at the first request', () => {
    const auth = gatehouseExpress({ verifier: realm.verifier });
    expect(() => auth.require({ actor: 'admin' as never })).toThrow(
      new TypeError("require.actor must be 'user', 'customer', or a non-empty list of them"),
    );
    expect(() => auth.require({ tenant: [] })).toThrow(TypeError);
    expect(() => auth.require({ anyScope: [] })).toThrow(
      new TypeError('require.anyScope must list at least one scope'),
    );
    expect(() => auth.require({ requiredScopes: ['a b'] })).toThrow(TypeError);
    expect(() => auth.require({ check: 'yes' as never })).toThrow(new TypeError('require.check must be a function'));
    expect(() => gatehouseExpress({ verifier: realm.verifier, onRejected: 1 as never })).toThrow(TypeError);
  });
});
