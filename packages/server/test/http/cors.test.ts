import { beforeAll, describe, expect, it } from 'vitest';
import { createClient, setClientDisabled } from '../../src/admin/clients.js';
import { postForm } from '../support/browser.js';
import { ISSUER_C, ISSUER_U, SEED_CLIENT_ID, TENANT, useTestServer } from '../support/harness.js';

// Issue 7: one rule decides which origins may call a realm before a client is known
// (protocol/origins.ts realmOrigins): the redirect origins of the enabled clients of the
// tenant whose resource type is global or the realm's actor. Every token-style endpoint and
// userinfo follow it, for preflights and for error answers.
const SEED_ORIGIN = 'http://localhost:5173';
const CUSTOMER_APP_ORIGIN = 'https://customers.example.test';
const DISABLED_APP_ORIGIN = 'https://disabled.example.test';
const ENDPOINTS = ['/oauth2/token', '/oauth2/revoke', '/oauth2/introspect', '/oauth2/userinfo'];

const server = useTestServer('all');
beforeAll(async () => {
  const common = { tenant: TENANT, platform: 'spa', scopes: ['core.aiservices.read'] };
  await createClient(server.context, {
    ...common,
    name: 'Customer Portal',
    resourceType: 'customer',
    redirectUris: [`${CUSTOMER_APP_ORIGIN}/cb`],
  });
  const disabled = await createClient(server.context, {
    ...common,
    name: 'Retired App',
    resourceType: 'global',
    redirectUris: [`${DISABLED_APP_ORIGIN}/cb`],
  });
  await setClientDisabled(server.context, { tenant: TENANT, clientId: disabled.client.clientId }, true);
});

function preflight(issuer: string, path: string, origin: string) {
  return server.app.inject({
    method: 'OPTIONS',
    url: `${new URL(issuer).pathname}${path}`,
    headers: { origin, 'access-control-request-method': 'POST' },
  });
}

describe('CORS: the origins allowed for a realm', () => {
  for (const path of ENDPOINTS) {
    it(`${path} preflight allows a global client's origin in both realms`, async () => {
      for (const issuer of [ISSUER_U, ISSUER_C]) {
        const response = await preflight(issuer, path, SEED_ORIGIN);
        expect(response.statusCode).toBe(204);
        expect(response.headers['access-control-allow-origin']).toBe(SEED_ORIGIN);
      }
    });

    it(`${path} preflight allows a customer-only client's origin in the customer realm only`, async () => {
      expect((await preflight(ISSUER_C, path, CUSTOMER_APP_ORIGIN)).headers['access-control-allow-origin']).toBe(
        CUSTOMER_APP_ORIGIN,
      );
      const refused = await preflight(ISSUER_U, path, CUSTOMER_APP_ORIGIN);
      expect(refused.statusCode).toBe(204);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['access-control-allow-methods']).toBeUndefined();
    });

    it(`${path} preflight refuses a disabled client's origin`, async () => {
      for (const issuer of [ISSUER_U, ISSUER_C])
        expect(
          (await preflight(issuer, path, DISABLED_APP_ORIGIN)).headers['access-control-allow-origin'],
        ).toBeUndefined();
    });
  }

  it('token endpoint errors are readable by the realm origins only', async () => {
    const form = { grant_type: 'authorization_code', code: 'nope', client_id: SEED_CLIENT_ID, code_verifier: 'x' };
    const allowed = await postForm(server.app, ISSUER_C, '/oauth2/token', form, { origin: CUSTOMER_APP_ORIGIN });
    expect(allowed.statusCode).toBe(400);
    expect(allowed.headers['access-control-allow-origin']).toBe(CUSTOMER_APP_ORIGIN);
    const unknownClient = { ...form, client_id: '00000000-0000-4000-8000-000000000000' };
    const refused = await postForm(server.app, ISSUER_U, '/oauth2/token', unknownClient, {
      origin: CUSTOMER_APP_ORIGIN,
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('userinfo errors are readable by the realm origins only', async () => {
    const ask = (issuer: string, origin: string) =>
      server.app.inject({
        method: 'GET',
        url: `${new URL(issuer).pathname}/oauth2/userinfo`,
        headers: { origin, authorization: 'Bearer not-a-token' },
      });
    const allowed = await ask(ISSUER_C, CUSTOMER_APP_ORIGIN);
    expect(allowed.statusCode).toBe(401);
    expect(allowed.headers['access-control-allow-origin']).toBe(CUSTOMER_APP_ORIGIN);
    for (const [issuer, origin] of [
      [ISSUER_U, CUSTOMER_APP_ORIGIN],
      [ISSUER_U, DISABLED_APP_ORIGIN],
    ] as const) {
      const refused = await ask(issuer, origin);
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
