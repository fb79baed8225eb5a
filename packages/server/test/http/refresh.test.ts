import { createHash, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashOpaqueSecret } from '../../src/protocol/secrets.js';
import { createClient } from '../../src/admin/clients.js';
import { revokeConsent, setUserDisabled, setUserPassword } from '../../src/admin/users.js';
import { setClientDisabled } from '../../src/admin/clients.js';
import { basicAuth, jwtPayload, obtainTokens, postForm } from '../support/browser.js';
import {
  AGENT,
  ISSUER_C,
  ISSUER_U,
  LOCAL_REDIRECT_URI,
  SEED_CLIENT_ID,
  seedAuthorizeParams,
  TENANT,
  USER_ONLY_CLIENT_ID,
  useTestServer,
} from '../support/harness.js';

const server = useTestServer('each');

const refresh = (
  refreshToken: string,
  extra: Record<string, string> = {},
  clientId = SEED_CLIENT_ID,
  issuer = ISSUER_U,
) =>
  postForm(server.app, issuer, '/oauth2/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
    ...extra,
  });

async function introspect(token: string) {
  const response = await postForm(
    server.app,
    ISSUER_U,
    '/oauth2/introspect',
    { token },
    { authorization: basicAuth(server.webClient.clientId, server.webClient.secret) },
  );
  return response.json() as { active: boolean };
}

describe('refresh tokens: rotation (RFC 9700 §4.14.2)', () => {
  it('issues a refresh token with the code exchange to an spa client', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    expect(tokens.refresh_token).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    const rows = await server.database.db.selectFrom('refresh_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(String(tokens.refresh_token));
  });

  it('still rotates a refresh token of the earlier unprefixed form (issued before the upgrade), stored under its full SHA-256', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    const earlierToken = randomBytes(32).toString('base64url');
    await server.database.db
      .updateTable('refresh_tokens')
      .set({ token_hash: createHash('sha256').update(earlierToken).digest('hex') })
      .where('token_hash', '=', hashOpaqueSecret(String(tokens.refresh_token)))
      .execute();
    expect((await refresh(String(tokens.refresh_token))).json()).toMatchObject({ error: 'invalid_grant' });
    const response = await refresh(earlierToken);
    expect(response.statusCode).toBe(200);
    expect(response.json().refresh_token).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
  });

  it('rotates on every use: a new refresh token and access token, the same scopes', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    server.clock.advance(60);
    const response = await refresh(String(tokens.refresh_token));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(body.refresh_token).not.toBe(tokens.refresh_token);
    expect(body.scope).toBe('core.aiservices.read core.aiservices.write');
    expect(jwtPayload(body.access_token)).toMatchObject({
      iat: server.clock.now,
      sub: jwtPayload(String(tokens.access_token)).sub,
    });
    const again = await refresh(body.refresh_token);
    expect(again.statusCode).toBe(200);
  });

  it('treats a second use of a rotated token as reuse: invalid_grant and the whole family revoked', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    const rotated = (await refresh(String(tokens.refresh_token))).json();
    expect((await introspect(rotated.access_token)).active).toBe(true);
    const reuse = await refresh(String(tokens.refresh_token));
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().error).toBe('invalid_grant');
    // The legitimate holder's newer token dies too, and so do the access tokens of the family.
    const afterReuse = await refresh(rotated.refresh_token);
    expect(afterReuse.statusCode).toBe(400);
    expect(afterReuse.json().error).toBe('invalid_grant');
    expect(await introspect(rotated.access_token)).toEqual({ active: false });
    expect(await introspect(String(tokens.access_token))).toEqual({ active: false });
  });

  it('narrows the access token for a subset scope while the refresh token keeps the whole grant', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    const narrow = (await refresh(String(tokens.refresh_token), { scope: 'core.aiservices.read' })).json();
    expect(narrow.scope).toBe('core.aiservices.read');
    expect(jwtPayload(narrow.access_token).scope).toBe('core.aiservices.read');
    const wide = (await refresh(narrow.refresh_token)).json();
    expect(wide.scope).toBe('core.aiservices.read core.aiservices.write');
  });

  it('refuses a scope beyond the grant with invalid_scope', async () => {
    const tokens = await obtainTokens(
      server.app,
      ISSUER_U,
      seedAuthorizeParams({ scope: 'core.aiservices.read' }),
      AGENT,
    );
    const response = await refresh(String(tokens.refresh_token), {
      scope: 'core.aiservices.read core.aiservices.write',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_scope');
    // Not a reuse: the token still works.
    expect((await refresh(String(tokens.refresh_token))).statusCode).toBe(200);
  });

  it("refuses another client's refresh token with invalid_grant, without revoking it", async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    const response = await refresh(String(tokens.refresh_token), {}, USER_ONLY_CLIENT_ID);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
    expect((await refresh(String(tokens.refresh_token))).statusCode).toBe(200);
  });

  it('refuses a refresh token presented to another realm', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    const response = await refresh(String(tokens.refresh_token), {}, SEED_CLIENT_ID, ISSUER_C);
    expect(response.json().error).toBe('invalid_grant');
  });

  it('answers invalid_request without refresh_token and invalid_grant for an unknown one', async () => {
    const missing = await postForm(server.app, ISSUER_U, '/oauth2/token', {
      grant_type: 'refresh_token',
      client_id: SEED_CLIENT_ID,
    });
    expect(missing.json().error).toBe('invalid_request');
    const unknown = await refresh('x'.repeat(43));
    expect(unknown.json().error).toBe('invalid_grant');
  });

  it('answers unauthorized_client when the client may not use refresh tokens', async () => {
    const response = await postForm(
      server.app,
      ISSUER_U,
      '/oauth2/token',
      { grant_type: 'refresh_token', refresh_token: 'x' },
      { authorization: basicAuth(server.webClient.clientId, server.webClient.secret) },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('unauthorized_client');
  });
});

describe('refresh tokens: lifetimes', () => {
  it('expires after the idle timeout (default 86400 s)', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    server.clock.advance(86_400);
    const response = await refresh(String(tokens.refresh_token));
    expect(response.json().error).toBe('invalid_grant');
  });

  it('rotation never extends the absolute lifetime', async () => {
    await createClient(server.context, {
      tenant: TENANT,
      name: 'Short',
      platform: 'spa',
      resourceType: 'global',
      redirectUris: [LOCAL_REDIRECT_URI],
      scopes: ['core.aiservices.read'],
      clientId: '33333333-4444-4555-8666-777777777777',
      refreshAbsoluteTtlSeconds: 300,
      refreshIdleTtlSeconds: 200,
    });
    const params = seedAuthorizeParams({
      client_id: '33333333-4444-4555-8666-777777777777',
      redirect_uri: LOCAL_REDIRECT_URI,
      scope: 'core.aiservices.read',
    });
    let token = String((await obtainTokens(server.app, ISSUER_U, params, AGENT)).refresh_token);
    for (let i = 0; i < 2; i++) {
      server.clock.advance(140);
      const response = await refresh(token, {}, '33333333-4444-4555-8666-777777777777');
      expect(response.statusCode).toBe(200);
      token = response.json().refresh_token;
    }
    // 280 s in, the newest token is 0 s old and its idle timeout (200 s) is far off, but the
    // family's absolute lifetime (300 s from the code exchange) ends 20 s from now.
    server.clock.advance(20);
    const expired = await refresh(token, {}, '33333333-4444-4555-8666-777777777777');
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error).toBe('invalid_grant');
  });
});

describe('refresh tokens: grace window', () => {
  const GRACE_CLIENT = '44444444-5555-4666-8777-888888888888';
  beforeEach(async () => {
    await createClient(server.context, {
      tenant: TENANT,
      name: 'Graceful',
      platform: 'spa',
      resourceType: 'global',
      redirectUris: [LOCAL_REDIRECT_URI],
      scopes: ['core.aiservices.read'],
      clientId: GRACE_CLIENT,
      refreshGraceSeconds: 10,
    });
  });

  it('answers a duplicate refresh within the window with the very same response', async () => {
    const params = seedAuthorizeParams({
      client_id: GRACE_CLIENT,
      redirect_uri: LOCAL_REDIRECT_URI,
      scope: 'core.aiservices.read',
    });
    const tokens = await obtainTokens(server.app, ISSUER_U, params, AGENT);
    const first = await refresh(String(tokens.refresh_token), {}, GRACE_CLIENT);
    server.clock.advance(10);
    const duplicate = await refresh(String(tokens.refresh_token), {}, GRACE_CLIENT);
    expect(duplicate.statusCode).toBe(200);
    expect(duplicate.json()).toEqual(first.json());
    expect((await refresh(first.json().refresh_token, {}, GRACE_CLIENT)).statusCode).toBe(200);
  });

  it('treats a duplicate after the window as reuse', async () => {
    const params = seedAuthorizeParams({
      client_id: GRACE_CLIENT,
      redirect_uri: LOCAL_REDIRECT_URI,
      scope: 'core.aiservices.read',
    });
    const tokens = await obtainTokens(server.app, ISSUER_U, params, AGENT);
    const first = await refresh(String(tokens.refresh_token), {}, GRACE_CLIENT);
    server.clock.advance(11);
    expect((await refresh(String(tokens.refresh_token), {}, GRACE_CLIENT)).json().error).toBe('invalid_grant');
    expect((await refresh(first.json().refresh_token, {}, GRACE_CLIENT)).json().error).toBe('invalid_grant');
  });
});

describe('refresh tokens end with what they were based on', () => {
  it('a disabled user gets invalid_grant', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    await setUserDisabled(server.context, { tenant: TENANT, actor: 'user', username: AGENT.username }, true);
    expect((await refresh(String(tokens.refresh_token))).json().error).toBe('invalid_grant');
  });

  it('a disabled client gets invalid_grant', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    await setClientDisabled(server.context, { tenant: TENANT, clientId: SEED_CLIENT_ID }, true);
    const response = await refresh(String(tokens.refresh_token));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
  });

  it('a password change gets invalid_grant', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    server.clock.advance(1);
    await setUserPassword(server.context, {
      tenant: TENANT,
      actor: 'user',
      username: AGENT.username,
      password: 'a-brand-new-password',
    });
    expect((await refresh(String(tokens.refresh_token))).json().error).toBe('invalid_grant');
  });

  it('revoked consent gets invalid_grant', async () => {
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    await revokeConsent(server.context, {
      tenant: TENANT,
      actor: 'user',
      username: AGENT.username,
      clientId: SEED_CLIENT_ID,
    });
    expect((await refresh(String(tokens.refresh_token))).json().error).toBe('invalid_grant');
  });

  it('a replayed authorization code revokes the refresh tokens issued from it', async () => {
    const { exchangeCode, redirectParams, signInAndAllow, TestBrowser } = await import('../support/browser.js');
    const redirect = await signInAndAllow(new TestBrowser(server.app), ISSUER_U, seedAuthorizeParams(), AGENT);
    const form = {
      grant_type: 'authorization_code',
      code: redirectParams(redirect).get('code')!,
      redirect_uri: 'https://oauth.pstmn.io/v1/callback',
      client_id: SEED_CLIENT_ID,
      code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    };
    const first = (await exchangeCode(server.app, ISSUER_U, form)).json();
    expect((await exchangeCode(server.app, ISSUER_U, form)).json().error).toBe('invalid_grant');
    expect((await refresh(first.refresh_token)).json().error).toBe('invalid_grant');
  });
});
