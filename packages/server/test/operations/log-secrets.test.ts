import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  basicAuth,
  exchangeCode,
  hiddenInput,
  postForm,
  redirectParams,
  TestBrowser,
} from '../support/browser.js';
import {
  AGENT,
  ISSUER_U,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_VERIFIER,
  seedAuthorizeParams,
  useTestServer,
} from '../support/harness.js';

/** Every line the app logs, at debug level. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

describe('logs without secrets (issue 10)', () => {
  const server = useTestServer('all', { logger: { level: 'debug', stream: sink } });

  it('never contain a password, client secret, code, token, id_token_hint, cookie or Authorization value, at debug level', async () => {
    const secrets = new Map<string, string>();
    const keep = (name: string, value: unknown): string => {
      expect(typeof value === 'string' && value.length >= 8, `${name} is a usable secret`).toBe(true);
      secrets.set(name, value as string);
      return value as string;
    };
    keep('password', AGENT.password);
    keep('client secret', server.webClient.secret);
    const webAuthorization = keep(
      'Authorization: Basic',
      basicAuth(server.webClient.clientId, server.webClient.secret),
    ).slice('Basic '.length);
    secrets.set('Basic credentials', webAuthorization);

    // Discovery and keys.
    await server.app.inject(`${new URL(ISSUER_U).pathname}/.well-known/openid-configuration`);
    await server.app.inject(`${new URL(ISSUER_U).pathname}/oauth2/jwks`);
    await server.app.inject('/healthz');
    await server.app.inject('/readyz');

    // Authorize -> login (one wrong password, then the right one) -> consent -> code.
    const browser = new TestBrowser(server.app);
    const params = seedAuthorizeParams({ scope: 'openid profile core.aiservices.read' });
    const authorize = await browser.get(authorizeUrl(ISSUER_U, params));
    const loginPage = await browser.get(authorize.headers.location as string);
    const request = hiddenInput(loginPage.body, 'request');
    const csrf = keep('CSRF token', hiddenInput(loginPage.body, 'csrf_token'));
    await browser.postForm(`${ISSUER_U}/login`, {
      request,
      csrf_token: csrf,
      username: AGENT.username,
      password: 'wrong-password-1',
    });
    const login = await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...AGENT });
    expect(login.statusCode).toBe(303);
    const consentPage = await browser.get(login.headers.location as string);
    const consent = await browser.postForm(`${ISSUER_U}/consent`, {
      request: hiddenInput(consentPage.body, 'request'),
      csrf_token: hiddenInput(consentPage.body, 'csrf_token'),
      decision: 'allow',
    });
    const code = keep('authorization code', redirectParams(consent).get('code'));
    for (const cookie of consent.headers['set-cookie'] ?? [])
      keep('cookie', String(cookie).split(';')[0]!.split('=')[1]);
    for (const name of ['gh_session', 'gh_binding']) {
      const value = browser.cookie(name);
      if (value) keep(`cookie ${name}`, value);
    }

    // Token endpoint: code, then refresh, then a reused refresh token (an error path).
    const tokens = (
      await exchangeCode(server.app, ISSUER_U, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SEED_REDIRECT_URI,
        client_id: SEED_CLIENT_ID,
        code_verifier: keep('code verifier', SEED_VERIFIER),
      })
    ).json();
    const accessToken = keep('access token', tokens.access_token);
    const idToken = keep('ID token', tokens.id_token);
    const firstRefresh = keep('refresh token', tokens.refresh_token);
    const refreshed = (
      await postForm(server.app, ISSUER_U, '/oauth2/token', {
        grant_type: 'refresh_token',
        refresh_token: firstRefresh,
        client_id: SEED_CLIENT_ID,
      })
    ).json();
    keep('rotated access token', refreshed.access_token);
    const secondRefresh = keep('rotated refresh token', refreshed.refresh_token);
    await postForm(server.app, ISSUER_U, '/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: firstRefresh,
      client_id: SEED_CLIENT_ID,
    });
    // A replayed code (error path, detail logged).
    await exchangeCode(server.app, ISSUER_U, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SEED_REDIRECT_URI,
      client_id: SEED_CLIENT_ID,
      code_verifier: SEED_VERIFIER,
    });

    // Userinfo (Bearer header and form), introspection and revocation with client credentials.
    await server.app.inject({
      url: `${new URL(ISSUER_U).pathname}/oauth2/userinfo`,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await postForm(server.app, ISSUER_U, '/oauth2/userinfo', { access_token: accessToken });
    await postForm(
      server.app,
      ISSUER_U,
      '/oauth2/introspect',
      { token: accessToken },
      { authorization: `Basic ${webAuthorization}` },
    );
    await postForm(server.app, ISSUER_U, '/oauth2/introspect', {
      token: secondRefresh,
      client_id: server.webClient.clientId,
      client_secret: server.webClient.secret,
    });
    await postForm(
      server.app,
      ISSUER_U,
      '/oauth2/introspect',
      { token: accessToken },
      { authorization: 'Basic d3Jvbmc6c2VjcmV0LXZhbHVl' },
    );
    secrets.set('wrong Basic credentials', 'd3Jvbmc6c2VjcmV0LXZhbHVl');
    await postForm(server.app, ISSUER_U, '/oauth2/revoke', { token: secondRefresh, client_id: SEED_CLIENT_ID });

    // Logout with the ID token as hint, by GET (query string) and by POST (form).
    await browser.get(
      `${ISSUER_U}/oauth2/logout?${new URLSearchParams({ id_token_hint: idToken, client_id: SEED_CLIENT_ID })}`,
    );
    await browser.postForm(`${ISSUER_U}/oauth2/logout`, { id_token_hint: idToken });
    // Garbage in places secrets go, and unknown routes.
    await server.app.inject({
      url: `/nowhere?password=${encodeURIComponent(AGENT.password)}`,
      headers: { cookie: `x=${csrf}` },
    });

    expect(lines.length).toBeGreaterThan(30);
    expect(server.app.log.level).toBe('debug');
    expect(lines.every((line) => /"reqId":"[0-9a-f-]{36}"/.test(line) || !line.includes('"req"'))).toBe(true);
    const output = lines.join('\n');
    for (const [name, secret] of secrets) {
      expect(output.includes(secret), `the log contains the ${name}`).toBe(false);
      // Also percent-encoded, as it would appear in a logged URL.
      expect(output.includes(encodeURIComponent(secret)), `the log contains the ${name}, URL-encoded`).toBe(false);
    }
    expect(output).toContain('id_token_hint=[REDACTED]');
  });
});
