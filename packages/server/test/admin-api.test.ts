import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createAdministrator, createApiKey, revokeApiKey } from '../src/admin/administrators.js';
import { CONSOLE_CLIENT_ID } from '../src/admin/caller.js';
import { createClient } from '../src/admin/clients.js';
import { ensureSystemTenant } from '../src/admin/system-tenant.js';
import { createUser } from '../src/admin/users.js';
import { ADMIN_ROUTES } from '../src/http/admin/index.js';
import { createTenant } from '../src/admin/tenants.js';
import { obtainTokens } from './support/browser.js';
import {
  AGENT,
  ISSUER_U,
  LOCAL_REDIRECT_URI,
  PUBLIC_URL,
  SEED_CHALLENGE,
  SEED_CLIENT_ID,
  seedAuthorizeParams,
  TENANT,
  testDialects,
  useTestServer,
} from './support/harness.js';

const ADMIN_ISSUER = `${PUBLIC_URL}/system/auth/GATEHOUSE-U`;
const OTHER = 'OTHER1';
const OTHER_CLIENT_ID = '99999999-8888-4777-8666-555555555555';
const OPERATOR = { username: 'olivia', password: 'operator-test-password' };
const TENANT_ADMIN = { username: 'tom', password: 'tenant-admin-password' };

/** A real sign-in of an administrator through the normal login page with the console client. */
async function adminToken(app: FastifyInstance, credentials: { username: string; password: string }): Promise<string> {
  const tokens = await obtainTokens(
    app,
    ADMIN_ISSUER,
    {
      client_id: CONSOLE_CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${PUBLIC_URL}/admin/callback`,
      scope: 'openid gatehouse.admin',
      state: 'admin-state',
      code_challenge: SEED_CHALLENGE,
      code_challenge_method: 'S256',
    },
    credentials,
  );
  return String(tokens.access_token);
}

describe.each(testDialects('admin API'))('admin API on %s', (dialect) => {
  const server = useTestServer('all', { dialect });
  const tokens = { operator: '', tenantAdmin: '', apiKey: '', tenantKey: '' };
  const ids = { otherUser: '', agent: '' };

  /** A route's URL with its parameters filled in for `tenant` (TENANT or OTHER). */
  const pathFor = (url: string, tenant: string): string =>
    url
      .replace(':tenant_id', tenant)
      .replace(':client_id', tenant === OTHER ? OTHER_CLIENT_ID : SEED_CLIENT_ID)
      .replace(':user_id', tenant === OTHER ? ids.otherUser : ids.agent)
      .replace(':name', 'core.aiservices.read');

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options: { token?: string; body?: unknown } = {},
  ) =>
    server.app.inject({
      method,
      url: `/admin/api/v1${path}`,
      headers: options.token === '' ? {} : { authorization: `Bearer ${options.token ?? tokens.operator}` },
      ...(options.body !== undefined ? { payload: options.body as Record<string, unknown> } : {}),
    });

  const auditCount = async () =>
    Number(
      (
        await server.database.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('sets up: administrators sign in through the GATEHOUSE-U login page with the console client', async () => {
    const ctx = server.context;
    await ensureSystemTenant(ctx);
    await createTenant(ctx, { id: OTHER, name: 'Other Co', apiDomain: 'https://api.other.test' });
    await createClient(ctx, {
      tenant: OTHER,
      name: 'Other SPA',
      platform: 'spa',
      resourceType: 'global',
      redirectUris: ['https://other.test/cb'],
      scopes: [],
      allowNoScopes: true,
      clientId: OTHER_CLIENT_ID,
    });
    ids.otherUser = (
      await createUser(ctx, { tenant: OTHER, actor: 'user', username: 'olga', password: 'olga-password-1' })
    ).id;
    ids.agent = (await ctx.repos.users.findByUsername(TENANT, 'user', AGENT.username))!.id;
    await createAdministrator(ctx, { ...OPERATOR, role: 'operator' });
    await createAdministrator(ctx, { ...TENANT_ADMIN, role: 'tenant-admin', tenants: [TENANT] });
    tokens.operator = await adminToken(server.app, OPERATOR);
    tokens.tenantAdmin = await adminToken(server.app, TENANT_ADMIN);
    tokens.apiKey = (await createApiKey(ctx, { name: 'ci' })).key;
    tokens.tenantKey = (await createApiKey(ctx, { name: 'ci-tenant', tenants: [TENANT] })).key;
    expect(tokens.apiKey).toMatch(/^gh_adm_[A-Za-z0-9_-]{43}$/);
  });

  describe('authentication and authorization', () => {
    it('answers 401 with a Bearer challenge and problem+json without a token', async () => {
      const response = await call('GET', '/tenants', { token: '' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="gatehouse-admin"');
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toMatchObject({ type: 'about:blank', status: 401, title: 'Authentication required' });
    });

    it('answers 401 invalid_token to an access token of a customer tenant realm', async () => {
      const customerRealmToken = String(
        (await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT)).access_token,
      );
      const response = await call('GET', '/tenants', { token: customerRealmToken });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="gatehouse-admin", error="invalid_token"/);
    });

    it('answers 401 to a made-up API key and to a revoked one', async () => {
      expect((await call('GET', '/tenants', { token: 'gh_adm_nope' })).statusCode).toBe(401);
      const key = await createApiKey(server.context, { name: 'short-lived' });
      expect((await call('GET', '/tenants', { token: key.key })).statusCode).toBe(200);
      await revokeApiKey(server.context, { id: key.id });
      const revoked = await call('GET', '/tenants', { token: key.key });
      expect(revoked.statusCode).toBe(401);
      expect(revoked.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('answers 403 insufficient_scope to an admin-realm token without gatehouse.admin', async () => {
      const token = await server.context.keys.signAccessToken('GATEHOUSE', {
        iss: ADMIN_ISSUER,
        sub: 'x',
        aud: `${PUBLIC_URL}/admin/api`,
        client_id: CONSOLE_CLIENT_ID,
        scope: 'openid',
        tenant_id: 'GATEHOUSE',
        actor: 'user',
        jti: 'jti-no-scope',
        iat: server.clock.now,
        exp: server.clock.now + 300,
      });
      const response = await call('GET', '/tenants', { token });
      expect(response.statusCode).toBe(403);
      expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });

    it('answers 403 to a GATEHOUSE-U person who is no administrator, and 401 once an administrator is disabled', async () => {
      const ctx = server.context;
      const plain = { username: 'plain', password: 'plain-password-1' };
      await createUser(ctx, { tenant: 'GATEHOUSE', actor: 'user', ...plain }, undefined, { allowSystemTenant: true });
      const notAdmin = await call('GET', '/me', { token: await adminToken(server.app, plain) });
      expect(notAdmin.statusCode).toBe(403);
      expect(notAdmin.json().detail).toBe('this person is not an administrator');

      const former = { username: 'former', password: 'former-password-1' };
      const admin = await createAdministrator(ctx, { ...former, role: 'operator' });
      const token = await adminToken(server.app, former);
      expect((await call('GET', '/me', { token })).statusCode).toBe(200);
      await ctx.repos.users.setDisabled('GATEHOUSE', admin.id, true);
      expect((await call('GET', '/me', { token })).statusCode).toBe(401);
    });

    it('moves the console client with the public URL', async () => {
      const moved = {
        ...server.context,
        config: { ...server.context.config, publicUrl: 'https://admin.example.test' },
      };
      await ensureSystemTenant(moved);
      const consoleClient = await server.context.repos.clients.findById(CONSOLE_CLIENT_ID);
      expect(consoleClient?.redirectUris).toEqual(['https://admin.example.test/admin/callback']);
      expect(consoleClient?.postLogoutRedirectUris).toEqual(['https://admin.example.test/admin/']);
      expect((await server.context.repos.tenants.findById('GATEHOUSE'))?.apiDomain).toBe(
        'https://admin.example.test/admin/api',
      );
      await ensureSystemTenant(server.context);
      expect((await server.context.repos.clients.findById(CONSOLE_CLIENT_ID))?.redirectUris).toEqual([
        `${PUBLIC_URL}/admin/callback`,
      ]);
    });

    it('tells an operator and a tenant administrator who they are', async () => {
      expect((await call('GET', '/me')).json()).toMatchObject({ username: OPERATOR.username, role: 'operator' });
      expect((await call('GET', '/me', { token: tokens.tenantAdmin })).json()).toMatchObject({
        username: TENANT_ADMIN.username,
        role: 'tenant-admin',
        tenants: [TENANT],
      });
    });

    it("gives a tenant administrator 404 for another tenant's client, the same as for none", async () => {
      for (const token of [tokens.tenantAdmin, tokens.tenantKey]) {
        const other = await call('GET', `/tenants/${OTHER}/clients/${OTHER_CLIENT_ID}`, { token });
        const missing = await call('GET', `/tenants/NOSUCH/clients/${OTHER_CLIENT_ID}`, { token });
        expect(other.statusCode).toBe(404);
        expect(missing.statusCode).toBe(404);
        expect(other.json().detail).toBe(`unknown tenant ${OTHER}`);
        const own = await call('GET', `/tenants/${TENANT}/clients/${SEED_CLIENT_ID}`, { token });
        expect(own.statusCode).toBe(200);
      }
      const list = await call('GET', '/tenants', { token: tokens.tenantAdmin });
      expect(list.json().items.map((t: { id: string }) => t.id)).toEqual([TENANT]);
    });

    it('hides the reserved GATEHOUSE tenant from the tenant routes', async () => {
      expect((await call('GET', '/tenants/GATEHOUSE')).statusCode).toBe(404);
      const ids = (await call('GET', '/tenants')).json().items.map((t: { id: string }) => t.id);
      expect(ids).toEqual([OTHER, TENANT]);
    });

    it('accepts an API key as a Bearer token', async () => {
      const response = await call('GET', `/tenants/${TENANT}`, { token: tokens.apiKey });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: TENANT, api_domain: 'https://api.example.test' });
    });
  });

  describe('every route', () => {
    it.each(ADMIN_ROUTES.map((route) => [route.method, route.url] as const))(
      '%s %s answers 401 with a Bearer challenge without a token',
      async (method, url) => {
        const response = await call(method, pathFor(url, TENANT), { token: '' });
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer realm="gatehouse-admin"');
      },
    );

    it.each(
      ADMIN_ROUTES.filter((route) => route.url.includes(':tenant_id')).map(
        (route) => [route.method, route.url] as const,
      ),
    )('%s %s answers 404 to a tenant administrator for another tenant, and writes nothing', async (method, url) => {
      const before = await auditCount();
      for (const token of [tokens.tenantAdmin, tokens.tenantKey]) {
        const response = await call(method, pathFor(url, OTHER), { token, body: {} });
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ status: 404, detail: `unknown tenant ${OTHER}` });
      }
      expect(await auditCount()).toBe(before);
    });

    it.each(ADMIN_ROUTES.filter((route) => route.body).map((route) => [route.method, route.url, route] as const))(
      '%s %s refuses a body of the wrong shape with problem+json naming a field, and writes nothing',
      async (method, url, route) => {
        const before = await auditCount();
        const first = Object.keys(route.body!.properties as object)[0]!;
        const response = await call(method, pathFor(url, TENANT), { body: { [first]: { not: 'valid' } } });
        expect(response.statusCode).toBe(400);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(response.json().errors[0].field).toMatch(/^\//);
        expect(await auditCount()).toBe(before);
      },
    );
  });

  describe('tenants', () => {
    it('creates, shows, changes, lists with q and cursor, and deletes a tenant', async () => {
      const created = await call('POST', '/tenants', {
        body: { id: 'NEW1', name: 'New Co', api_domain: 'https://api.new.test' },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ id: 'NEW1', name: 'New Co', api_domain: 'https://api.new.test' });
      const patched = await call('PATCH', '/tenants/NEW1', { body: { name: 'Renamed Co' } });
      expect(patched.json()).toMatchObject({ name: 'Renamed Co' });
      const filtered = await call('GET', '/tenants?q=renamed');
      expect(filtered.json()).toEqual({ items: [expect.objectContaining({ id: 'NEW1' })], next_cursor: null });
      const first = (await call('GET', '/tenants?limit=1')).json();
      expect(first.items).toHaveLength(1);
      expect(first.next_cursor).toEqual(expect.any(String));
      const second = (await call('GET', `/tenants?limit=1&cursor=${first.next_cursor}`)).json();
      expect(second.items[0].id > first.items[0].id).toBe(true);
      expect((await call('DELETE', '/tenants/NEW1')).statusCode).toBe(204);
      expect((await call('GET', '/tenants/NEW1')).statusCode).toBe(404);
    });

    it('refuses an invalid body with problem+json naming the field, and writes nothing', async () => {
      const before = await auditCount();
      const response = await call('POST', '/tenants', {
        body: { id: 'lower', name: 'X', api_domain: 'https://x.test' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json().errors).toEqual([{ field: '/id', message: expect.any(String) }]);
      const missing = await call('POST', '/tenants', { body: { id: 'MISSING' } });
      expect(missing.json().errors[0].field).toBe('/name');
      const unknown = await call('POST', '/tenants', {
        body: { id: 'TYPO', name: 'X', api_domain: 'https://x.test', apidomain: 'x' },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toEqual([{ field: '/apidomain', message: 'is not a known field' }]);
      const badUrl = await call('POST', '/tenants', { body: { id: 'BADURL', name: 'X', api_domain: 'ftp://x' } });
      expect(badUrl.json().errors).toEqual([{ field: '/api_domain', message: expect.stringContaining('http(s) URL') }]);
      expect((await call('GET', '/tenants/TYPO')).statusCode).toBe(404);
      expect(await auditCount()).toBe(before);
    });

    it('refuses to delete a tenant that is not empty (409) unless cascade=true', async () => {
      const refused = await call('DELETE', `/tenants/${OTHER}`);
      expect(refused.statusCode).toBe(409);
      expect((await call('GET', `/tenants/${OTHER}`)).statusCode).toBe(200);
      await call('POST', '/tenants', { body: { id: 'DOOMED', name: 'Doomed', api_domain: 'https://d.test' } });
      await call('POST', '/tenants/DOOMED/users', { body: { actor: 'user', username: 'u1', password: 'password-1' } });
      expect((await call('DELETE', '/tenants/DOOMED')).statusCode).toBe(409);
      expect((await call('DELETE', '/tenants/DOOMED?cascade=true')).statusCode).toBe(204);
      expect((await call('GET', '/tenants/DOOMED')).statusCode).toBe(404);
    });

    it('lets only operators create or delete tenants', async () => {
      const create = await call('POST', '/tenants', {
        token: tokens.tenantAdmin,
        body: { id: 'NOPE', name: 'N', api_domain: 'https://n.test' },
      });
      expect(create.statusCode).toBe(404);
      expect((await call('DELETE', `/tenants/${TENANT}`, { token: tokens.tenantAdmin })).statusCode).toBe(404);
    });
  });

  describe('scopes', () => {
    it('creates, lists, changes and deletes a scope; refuses built-in names and deleting one in use', async () => {
      const created = await call('POST', `/tenants/${TENANT}/scopes`, {
        body: { name: 'billing.read', description: 'Read invoices' },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ name: 'billing.read', description: 'Read invoices' });
      const openid = await call('POST', `/tenants/${TENANT}/scopes`, { body: { name: 'openid', description: 'x' } });
      expect(openid.statusCode).toBe(400);
      expect(openid.json().errors[0].field).toBe('/name');
      const duplicate = await call('POST', `/tenants/${TENANT}/scopes`, {
        body: { name: 'billing.read', description: 'x' },
      });
      expect(duplicate.statusCode).toBe(409);
      const list = (await call('GET', `/tenants/${TENANT}/scopes?q=BILLING`)).json();
      expect(list.items.map((s: { name: string }) => s.name)).toEqual(['billing.read']);
      const patched = await call('PATCH', `/tenants/${TENANT}/scopes/billing.read`, {
        body: { description: 'Invoices' },
      });
      expect(patched.json().description).toBe('Invoices');
      const inUse = await call('DELETE', `/tenants/${TENANT}/scopes/core.aiservices.read`);
      expect(inUse.statusCode).toBe(409);
      expect((await call('DELETE', `/tenants/${TENANT}/scopes/billing.read`)).statusCode).toBe(204);
      expect((await call('GET', `/tenants/${TENANT}/scopes/billing.read`)).statusCode).toBe(404);
    });
  });

  describe('clients', () => {
    let webClientId = '';
    it('registers an SPA client and shows its Metadata view per realm', async () => {
      const created = await call('POST', `/tenants/${TENANT}/clients`, {
        body: {
          name: 'Console-made SPA',
          platform: 'spa',
          resource_type: 'user',
          redirect_uris: ['https://app.example.test/cb'],
          scopes: ['core.aiservices.read'],
        },
      });
      expect(created.statusCode).toBe(201);
      const client = created.json();
      expect(client).toMatchObject({
        tenant: TENANT,
        platform: 'spa',
        enabled: true,
        consent: 'required',
        refresh_tokens: { enabled: true },
      });
      expect(client.client_secret).toBeUndefined();
      const metadata = await call('GET', `/tenants/${TENANT}/clients/${client.client_id}/metadata`);
      expect(metadata.json()).toEqual({
        client_id: client.client_id,
        name: 'Console-made SPA',
        realms: [
          {
            realm: `${TENANT}-U`,
            actor: 'user',
            issuer: ISSUER_U,
            authorization_url: `${ISSUER_U}/oauth2/authorize`,
            token_url: `${ISSUER_U}/oauth2/token`,
            domain_url: 'https://api.example.test',
            metadata_url: `${ISSUER_U}/.well-known/openid-configuration`,
          },
        ],
      });
    });

    it('refuses a bad redirect URI naming its index, and writes nothing', async () => {
      const before = await auditCount();
      const response = await call('POST', `/tenants/${TENANT}/clients`, {
        body: {
          name: 'Refused client',
          platform: 'spa',
          resource_type: 'user',
          redirect_uris: ['https://ok.test/cb', 'http://evil.test/cb'],
          scopes: [],
        },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        { field: '/redirect_uris/1', message: expect.stringContaining('https') },
      ]);
      const unknownScope = await call('POST', `/tenants/${TENANT}/clients`, {
        body: {
          name: 'Refused client',
          platform: 'spa',
          resource_type: 'user',
          redirect_uris: ['https://ok.test/cb'],
          scopes: ['nope'],
        },
      });
      expect(unknownScope.json().errors[0].field).toBe('/scopes/0');
      const names = (await call('GET', `/tenants/${TENANT}/clients?q=refused`)).json().items;
      expect(names).toEqual([]);
      expect(await auditCount()).toBe(before);
    });

    it('registers a web client with a secret shown once and rotates it with an overlap', async () => {
      const created = await call('POST', `/tenants/${TENANT}/clients`, {
        body: {
          name: 'Backend',
          platform: 'web',
          resource_type: 'global',
          redirect_uris: ['https://backend.test/cb'],
          scopes: [],
        },
      });
      expect(created.statusCode).toBe(201);
      const { client_id, client_secret } = created.json();
      webClientId = client_id;
      expect(client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await call('GET', `/tenants/${TENANT}/clients/${client_id}`)).json().client_secret).toBeUndefined();

      const introspect = (secret: string) =>
        server.app.inject({
          method: 'POST',
          url: `/system/auth/${TENANT}-U/oauth2/introspect`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ token: 'x', client_id, client_secret: secret }).toString(),
        });
      expect((await introspect(client_secret)).statusCode).toBe(200);
      const rotated = await call('POST', `/tenants/${TENANT}/clients/${client_id}/secret`, {
        body: { overlap_seconds: 600 },
      });
      expect(rotated.statusCode).toBe(200);
      const { client_secret: newSecret, old_secret_expires_at } = rotated.json();
      expect(old_secret_expires_at).toBe(server.clock.now + 600);
      expect((await introspect(newSecret)).statusCode).toBe(200);
      expect((await introspect(client_secret)).statusCode).toBe(200);
      server.clock.advance(601);
      expect((await introspect(client_secret)).statusCode).toBe(401);
      expect((await introspect(newSecret)).statusCode).toBe(200);
      const spa = await call('POST', `/tenants/${TENANT}/clients/${SEED_CLIENT_ID}/secret`, { body: {} });
      expect(spa.statusCode).toBe(400);
    });

    it('changes a client, disables it, and deletes it', async () => {
      const patched = await call('PATCH', `/tenants/${TENANT}/clients/${webClientId}`, {
        body: {
          name: 'Backend 2',
          redirect_uris: ['https://backend.test/cb2'],
          scopes: ['core.aiservices.write'],
          refresh_tokens: { enabled: true, grace_seconds: 10 },
          enabled: false,
        },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({
        name: 'Backend 2',
        redirect_uris: ['https://backend.test/cb2'],
        scopes: ['core.aiservices.write'],
        refresh_tokens: { enabled: true, grace_seconds: 10, absolute_ttl_seconds: 604800 },
        enabled: false,
      });
      const badGrace = await call('PATCH', `/tenants/${TENANT}/clients/${webClientId}`, {
        body: { refresh_tokens: { grace_seconds: 61 } },
      });
      expect(badGrace.json().errors[0].field).toBe('/refresh_tokens/grace_seconds');
      expect((await call('DELETE', `/tenants/${TENANT}/clients/${webClientId}`)).statusCode).toBe(204);
      expect((await call('GET', `/tenants/${TENANT}/clients/${webClientId}`)).statusCode).toBe(404);
    });
  });

  describe('users', () => {
    let userId = '';
    it('creates a person, refuses a case-variant duplicate, finds them by q, and changes them', async () => {
      const created = await call('POST', `/tenants/${TENANT}/users`, {
        body: { actor: 'user', username: 'Sam', email: 'sam@example.test', password: 'sam-password-1' },
      });
      expect(created.statusCode).toBe(201);
      userId = created.json().id;
      expect(created.json()).toMatchObject({ username: 'Sam', actor: 'user', enabled: true, tenant: TENANT });
      expect(created.json().password).toBeUndefined();
      const duplicate = await call('POST', `/tenants/${TENANT}/users`, {
        body: { actor: 'user', username: 'sam', password: 'sam-password-2' },
      });
      expect(duplicate.statusCode).toBe(409);
      const blank = await call('POST', `/tenants/${TENANT}/users`, {
        body: { actor: 'user', username: 'blank', password: '          ' },
      });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().errors[0].field).toBe('/password');
      const found = (await call('GET', `/tenants/${TENANT}/users?q=SAM@&actor=user`)).json();
      expect(found.items.map((u: { id: string }) => u.id)).toEqual([userId]);
      const patched = await call('PATCH', `/tenants/${TENANT}/users/${userId}`, {
        body: { email: null, enabled: false },
      });
      expect(patched.json()).toMatchObject({ email: null, enabled: false });
      expect(
        (await call('POST', `/tenants/${TENANT}/users/${userId}/password`, { body: { password: 'another-pass-1' } }))
          .statusCode,
      ).toBe(204);
    });

    it('lists and withdraws consents; withdrawing none is 404', async () => {
      const agent = (await call('GET', `/tenants/${TENANT}/users?q=agent&actor=user`)).json().items[0];
      await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
      const consents = (await call('GET', `/tenants/${TENANT}/users/${agent.id}/consents`)).json();
      expect(consents.items).toEqual([
        expect.objectContaining({ client_id: SEED_CLIENT_ID, client_name: 'Seed SPA', scopes: expect.any(Array) }),
      ]);
      const path = `/tenants/${TENANT}/users/${agent.id}/consents/${SEED_CLIENT_ID}`;
      expect((await call('DELETE', path)).statusCode).toBe(204);
      expect((await call('DELETE', path)).statusCode).toBe(404);
    });

    it('deleting a person or a client ends the access tokens of their grants at once', async () => {
      const introspect = async (token: string) =>
        (
          await server.app.inject({
            method: 'POST',
            url: `/system/auth/${TENANT}-U/oauth2/introspect`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({
              token,
              client_id: server.webClient.clientId,
              client_secret: server.webClient.secret,
            }).toString(),
          })
        ).json().active;
      const person = { username: 'doomed', password: 'doomed-password-1' };
      const created = await call('POST', `/tenants/${TENANT}/users`, { body: { actor: 'user', ...person } });
      const client = await call('POST', `/tenants/${TENANT}/clients`, {
        body: {
          name: 'Doomed SPA',
          platform: 'spa',
          resource_type: 'user',
          redirect_uris: [LOCAL_REDIRECT_URI],
          scopes: ['core.aiservices.read'],
          consent: 'skip',
        },
      });
      const params = seedAuthorizeParams({
        client_id: client.json().client_id,
        redirect_uri: LOCAL_REDIRECT_URI,
        scope: 'core.aiservices.read',
      });
      const first = String((await obtainTokens(server.app, ISSUER_U, params, person)).access_token);
      const second = String((await obtainTokens(server.app, ISSUER_U, params, AGENT)).access_token);
      expect(await introspect(first)).toBe(true);
      expect((await call('DELETE', `/tenants/${TENANT}/users/${created.json().id}`)).statusCode).toBe(204);
      expect(await introspect(first)).toBe(false);
      expect(await introspect(second)).toBe(true);
      expect((await call('DELETE', `/tenants/${TENANT}/clients/${client.json().client_id}`)).statusCode).toBe(204);
      expect(await introspect(second)).toBe(false);
    });

    it('deletes a person', async () => {
      expect((await call('DELETE', `/tenants/${TENANT}/users/${userId}`)).statusCode).toBe(204);
      expect((await call('GET', `/tenants/${TENANT}/users/${userId}`)).statusCode).toBe(404);
    });
  });

  describe('keys and the audit trail', () => {
    it('lists and rotates signing keys', async () => {
      type Key = { kid: string; alg: string; state: string };
      const es256 = (keys: Key[]) => keys.filter((key) => key.alg === 'ES256');
      const before = (await call('GET', `/tenants/${TENANT}/keys`)).json().items;
      expect(es256(before)).toEqual([expect.objectContaining({ state: 'active', alg: 'ES256', retire_at: null })]);
      const rotated = await call('POST', `/tenants/${TENANT}/keys/rotate`);
      expect(rotated.statusCode).toBe(201);
      const after = (await call('GET', `/tenants/${TENANT}/keys`)).json().items;
      expect(es256(after).map((k) => [k.kid, k.state])).toEqual([
        [rotated.json().kid, 'active'],
        [es256(before)[0]!.kid, 'retiring'],
      ]);
      // The RS256 key (ID Tokens, issue 12) rotates with it.
      const activeRs256 = (keys: Key[]) =>
        keys.filter((key) => key.alg === 'RS256' && key.state === 'active').map((key) => key.kid);
      expect(activeRs256(after)).toHaveLength(1);
      expect(activeRs256(after)).not.toEqual(activeRs256(before));
    });

    it('records every change with who, what, before and after, and never a secret', async () => {
      const events = (await call('GET', `/audit-events?tenant=${TENANT}&limit=200`)).json().items;
      const types = events.map((e: { type: string }) => e.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'scope.created',
          'client.created',
          'client.updated',
          'client.secret-rotated',
          'user.deleted',
          'key.rotated',
        ]),
      );
      const update = events.find((e: { type: string }) => e.type === 'client.updated');
      expect(update.actor).toEqual({ kind: 'admin', id: expect.any(String), name: OPERATOR.username });
      expect(update.before.name).toBe('Backend');
      expect(update.after.name).toBe('Backend 2');
      const everything = JSON.stringify(await server.database.db.selectFrom('audit_events').selectAll().execute());
      expect(everything).not.toMatch(/secret_hash|password_hash|\$argon2|gh_adm_/);
      const byType = (await call('GET', '/audit-events?type=tenant.created')).json().items;
      expect(byType.every((e: { type: string }) => e.type === 'tenant.created')).toBe(true);
      const mine = (await call('GET', `/audit-events?tenant=${OTHER}`, { token: tokens.tenantAdmin })).json();
      expect(mine.items).toEqual([]);
    });

    it('serves OpenAPI 3.1 without authentication, with the same schemas', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/admin/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      const document = response.json();
      expect(document.openapi).toBe('3.1.0');
      expect(document.servers).toEqual([{ url: `${PUBLIC_URL}/admin/api/v1` }]);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/tenants',
          '/tenants/{tenant_id}/clients/{client_id}/secret',
          '/tenants/{tenant_id}/users/{user_id}/consents/{client_id}',
          '/audit-events',
        ]),
      );
      const create = document.paths['/tenants/{tenant_id}/clients'].post;
      expect(create.requestBody.content['application/json'].schema.required).toEqual([
        'name',
        'platform',
        'resource_type',
        'redirect_uris',
        'scopes',
      ]);
    });

    it('accepts a DELETE or body-less POST sent with Content-Type: application/json, and refuses broken JSON', async () => {
      const headers = { authorization: `Bearer ${tokens.operator}`, 'content-type': 'application/json' };
      await call('POST', '/tenants', { body: { id: 'EMPTYBODY', name: 'E', api_domain: 'https://e.test' } });
      const deleted = await server.app.inject({ method: 'DELETE', url: '/admin/api/v1/tenants/EMPTYBODY', headers });
      expect(deleted.statusCode).toBe(204);
      const rotated = await server.app.inject({
        method: 'POST',
        url: `/admin/api/v1/tenants/${TENANT}/keys/rotate`,
        headers,
      });
      expect(rotated.statusCode).toBe(201);
      const broken = await server.app.inject({
        method: 'POST',
        url: '/admin/api/v1/tenants',
        headers,
        payload: '{"id": ',
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    });

    it('answers unknown admin routes with problem+json 404', async () => {
      const response = await call('GET', '/nothing-here');
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    });
  });
});
