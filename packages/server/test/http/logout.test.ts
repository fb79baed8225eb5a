import { beforeEach, describe, expect, it } from 'vitest';
import { authorizeUrl, hiddenInput, obtainTokens, postForm, TestBrowser } from '../support/browser.js';
import { AGENT, ISSUER_U, SEED_CLIENT_ID, seedAuthorizeParams, TENANT, useTestServer } from '../support/harness.js';
import { createClient } from '../../src/admin/clients.js';

const LOGOUT_CLIENT = '55555555-6666-4777-8888-999999999999';
const RETURN_TO = 'http://localhost:5173/';

const server = useTestServer('each');
let browser: TestBrowser;
let tokens: Record<string, string | number>;
beforeEach(async () => {
  await createClient(server.context, {
    tenant: TENANT,
    name: 'Logout App',
    platform: 'spa',
    resourceType: 'global',
    redirectUris: ['http://localhost:5173/callback'],
    postLogoutRedirectUris: [RETURN_TO],
    scopes: ['core.aiservices.read'],
    clientId: LOGOUT_CLIENT,
  });
  browser = new TestBrowser(server.app);
  tokens = await obtainTokens(
    server.app,
    ISSUER_U,
    seedAuthorizeParams({
      client_id: LOGOUT_CLIENT,
      redirect_uri: 'http://localhost:5173/callback',
      scope: 'openid core.aiservices.read',
    }),
    AGENT,
    browser,
  );
});

const logoutUrl = (params: Record<string, string>) =>
  `${ISSUER_U}/oauth2/logout?${new URLSearchParams(params).toString()}`;
const refresh = () =>
  postForm(server.app, ISSUER_U, '/oauth2/token', {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
    client_id: LOGOUT_CLIENT,
  });

async function stillSignedIn(): Promise<boolean> {
  const response = await browser.get(
    authorizeUrl(
      ISSUER_U,
      seedAuthorizeParams({
        client_id: LOGOUT_CLIENT,
        redirect_uri: 'http://localhost:5173/callback',
        scope: 'core.aiservices.read',
      }),
    ),
  );
  return String(response.headers.location).startsWith('http://localhost:5173/callback?code=');
}

describe('RP-initiated logout', () => {
  it('with a valid id_token_hint: ends the session, revokes its refresh tokens and redirects with state', async () => {
    expect(await stillSignedIn()).toBe(true);
    const response = await browser.get(
      logoutUrl({ id_token_hint: String(tokens.id_token), post_logout_redirect_uri: RETURN_TO, state: 'bye 1' }),
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('http://localhost:5173/?state=bye+1');
    expect(String(response.headers['set-cookie'])).toContain(
      'gh_session=; Path=/system/auth/TMPRODB88619984-U/; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expect(await stillSignedIn()).toBe(false);
    expect((await refresh()).json().error).toBe('invalid_grant');
  });

  it('does not redirect to an unregistered post_logout_redirect_uri: shows the signed-out page', async () => {
    const response = await browser.get(
      logoutUrl({ id_token_hint: String(tokens.id_token), post_logout_redirect_uri: 'https://evil.example/' }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('You are signed out');
    expect(await stillSignedIn()).toBe(false);
  });

  it('does not redirect to a redirect_uri that is not registered for logout', async () => {
    const response = await browser.get(
      logoutUrl({ id_token_hint: String(tokens.id_token), post_logout_redirect_uri: 'http://localhost:5173/callback' }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers.location).toBeUndefined();
  });

  it('without id_token_hint asks the person to confirm, and a bare link signs nobody out', async () => {
    const page = await browser.get(
      logoutUrl({ client_id: LOGOUT_CLIENT, post_logout_redirect_uri: RETURN_TO, state: 's' }),
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sign out?');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await stillSignedIn()).toBe(true);
    const forged = await browser.postForm(`${ISSUER_U}/oauth2/logout`, {
      confirm: 'yes',
      csrf_token: 'forged',
      client_id: LOGOUT_CLIENT,
    });
    expect(forged.statusCode).toBe(200);
    expect(await stillSignedIn()).toBe(true);
    const confirmed = await browser.postForm(`${ISSUER_U}/oauth2/logout`, {
      confirm: 'yes',
      csrf_token: hiddenInput(page.body, 'csrf_token'),
      client_id: hiddenInput(page.body, 'client_id'),
      post_logout_redirect_uri: hiddenInput(page.body, 'post_logout_redirect_uri'),
      state: hiddenInput(page.body, 'state'),
    });
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe('http://localhost:5173/?state=s');
    expect(await stillSignedIn()).toBe(false);
  });

  it('refuses an id_token_hint this server did not sign (400 page)', async () => {
    const token = String(tokens.id_token);
    const response = await browser.get(logoutUrl({ id_token_hint: `${token.slice(0, -4)}AAAA` }));
    expect(response.statusCode).toBe(400);
    expect(await stillSignedIn()).toBe(true);
  });

  it('refuses an id_token_hint issued to another client than client_id', async () => {
    const response = await browser.get(
      logoutUrl({ id_token_hint: String(tokens.id_token), client_id: SEED_CLIENT_ID }),
    );
    expect(response.statusCode).toBe(400);
  });

  it('accepts an expired id_token_hint', async () => {
    server.clock.advance(3600);
    const response = await browser.get(
      logoutUrl({ id_token_hint: String(tokens.id_token), post_logout_redirect_uri: RETURN_TO }),
    );
    expect(response.statusCode).toBe(303);
  });

  it('without a session just redirects to a registered URI', async () => {
    const response = await new TestBrowser(server.app).get(
      logoutUrl({ client_id: LOGOUT_CLIENT, post_logout_redirect_uri: RETURN_TO }),
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('http://localhost:5173/');
  });
});
