import { describe, expect, it } from 'vitest';
import { createScope } from '../src/admin/scopes.js';
import { deleteTenant, updateTenant } from '../src/admin/tenants.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { hiddenInput, obtainTokens, postForm, TestBrowser } from './support/browser.js';
import {
  AGENT,
  ISSUER_U,
  openTestDatabase,
  PUBLIC_URL,
  SEED_CLIENT_ID,
  seedAuthorizeParams,
  TENANT,
  testDialects,
  useTestServer,
} from './support/harness.js';

describe.each(testDialects('audit trail'))('audit trail on %s', (dialect) => {
  const server = useTestServer('each', { dialect });

  const events = async (type?: string) => {
    let query = server.database.db.selectFrom('audit_events').selectAll().orderBy('id');
    if (type) query = query.where('type', '=', type);
    return query.execute();
  };

  const signIn = async (browser: TestBrowser, password: string) => {
    const authorize = await browser.get(`${ISSUER_U}/oauth2/authorize?${new URLSearchParams(seedAuthorizeParams())}`);
    const page = await browser.get(String(authorize.headers.location));
    return browser.postForm(`${ISSUER_U}/login`, {
      request: hiddenInput(page.body, 'request'),
      csrf_token: hiddenInput(page.body, 'csrf_token'),
      username: AGENT.username,
      password,
    });
  };

  it('records sign-in failure, lockout and success, never the password', async () => {
    const browser = new TestBrowser(server.app);
    for (let i = 0; i < 5; i++) expect((await signIn(browser, 'wrong-password-x')).statusCode).toBe(401);
    expect((await signIn(browser, AGENT.password)).statusCode).toBe(429);
    server.clock.advance(301);
    expect((await signIn(browser, AGENT.password)).statusCode).toBe(303);
    const types = (await events()).filter((e) => e.type.startsWith('sign-in.')).map((e) => e.type);
    expect(types).toEqual([...Array(5).fill('sign-in.failed'), 'sign-in.locked-out', 'sign-in.succeeded']);
    const success = (await events('sign-in.succeeded'))[0]!;
    expect(success).toMatchObject({ tenant_id: TENANT, actor_kind: 'person', actor_name: AGENT.username });
    expect(JSON.parse(success.detail_json!)).toEqual({ realm: `${TENANT}-U` });
    const failed = (await events('sign-in.failed'))[0]!;
    expect(JSON.parse(failed.detail_json!)).toEqual({ realm: `${TENANT}-U`, reason: 'invalid_credentials' });
    expect(JSON.stringify(await events())).not.toContain('wrong-password-x');
  });

  it('records a failed sign-in whose username holds a NUL byte, without control characters and bounded', async () => {
    const realm = { id: `${TENANT}-U`, tenantId: TENANT, actor: 'user' as const, issuer: ISSUER_U };
    await server.context.securityEvents.signIn(realm, `ev\u0000il${'x'.repeat(300)}`, {
      ok: false,
      reason: 'invalid_credentials',
    });
    const [event] = await events('sign-in.failed');
    expect(event?.actor_name).toBe(`evil${'x'.repeat(196)}`);
  });

  it('records consent granted, refresh-token reuse with the family revoked, and logout', async () => {
    const browser = new TestBrowser(server.app);
    const params = seedAuthorizeParams({ scope: 'openid core.aiservices.read' });
    const tokens = await obtainTokens(server.app, ISSUER_U, params, AGENT, browser);
    const [consent] = await events('consent.granted');
    expect(JSON.parse(consent!.detail_json!)).toMatchObject({ client_id: SEED_CLIENT_ID });

    const refresh = (token: string) =>
      postForm(server.app, ISSUER_U, '/oauth2/token', {
        grant_type: 'refresh_token',
        refresh_token: token,
        client_id: SEED_CLIENT_ID,
      });
    expect((await refresh(String(tokens.refresh_token))).statusCode).toBe(200);
    expect((await refresh(String(tokens.refresh_token))).statusCode).toBe(400);
    const [reuse] = await events('refresh-token.reuse-detected');
    expect(reuse).toMatchObject({ tenant_id: TENANT, actor_kind: 'system' });
    expect(JSON.parse(reuse!.detail_json!)).toMatchObject({ client_id: SEED_CLIENT_ID, family_revoked: true });

    const logout = await browser.get(
      `${ISSUER_U}/oauth2/logout?${new URLSearchParams({ id_token_hint: String(tokens.id_token) })}`,
    );
    expect(logout.statusCode).toBe(200);
    expect(await events('logout')).toEqual([expect.objectContaining({ actor_name: AGENT.username })]);
  });

  it('writes an admin change and its audit event in one transaction: a failed change leaves no event', async () => {
    const before = (await events()).length;
    await expect(deleteTenant(server.context, { tenant: TENANT })).rejects.toThrow(/still has/);
    expect((await events()).length).toBe(before);
  });

  it('rolls the change back when its audit event cannot be written', async () => {
    const write = server.context.audit.write.bind(server.context.audit);
    server.context.audit.write = async () => {
      throw new Error('audit store unavailable');
    };
    try {
      await expect(updateTenant(server.context, { tenant: TENANT, name: 'Renamed' })).rejects.toThrow(
        'audit store unavailable',
      );
      await expect(
        createScope(server.context, { tenant: TENANT, name: 'never.written', description: 'x' }),
      ).rejects.toThrow('audit store unavailable');
    } finally {
      server.context.audit.write = write;
    }
    expect((await server.context.repos.tenants.findById(TENANT))?.name).toBe('Acme Support');
    expect(await server.context.repos.tenants.findScope(TENANT, 'never.written')).toBeUndefined();
  });
});

describe('audit log lines', () => {
  it('logs each audit event as one structured pino line', async () => {
    const { database, cleanup } = await openTestDatabase('sqlite');
    const lines: string[] = [];
    const { app, context } = await buildApp({
      config: loadConfig({ publicUrl: PUBLIC_URL }, {}),
      database,
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    });
    try {
      const { createTenant } = await import('../src/admin/tenants.js');
      await createTenant(context, { id: 'LOGGED', name: 'Logged', apiDomain: 'https://api.logged.test' });
      const audit = lines.map((line) => JSON.parse(line)).filter((line) => line.audit);
      expect(audit).toEqual([
        expect.objectContaining({
          component: 'audit',
          msg: 'audit tenant.created',
          audit: expect.objectContaining({ type: 'tenant.created', tenant: 'LOGGED', target: 'LOGGED' }),
        }),
      ]);
    } finally {
      await app.close();
      await cleanup();
    }
  });
});
