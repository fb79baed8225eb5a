import { createRemoteJWKSet, jwtVerify } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../src/admin/demo.js';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';

/**
 * The whole flow over a real socket, driven by an independent OAuth client library
 * (oauth4webapi) and checked with jose: discovery, PKCE authorize, login and consent forms,
 * the code exchange, and the access token's signature against the published JWKS.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Just enough of a browser for our pages: cookies per path, manual redirects. */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();
  header(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name.split('@')[0]}=${c.value}`)
      .join('; ');
  }
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      const path =
        attributes
          .map((a) => a.trim())
          .find((a) => a.startsWith('Path='))
          ?.slice(5) ?? '/';
      this.cookies.set(`${name}@${path}`, { value, path });
    }
  }
}

async function browse(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Response> {
  const target = new URL(url);
  const response = await fetch(target, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie: jar.header(target), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  jar.store(response);
  return response;
}

function hidden(html: string, name: string): string {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;
}

let server: RunningServer;
let dataDir: string;
let publicUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ port, publicUrl, database: join(dataDir, 'gatehouse.sqlite'), metricsPort: 0 }, {});
  server = await startServer(config, { seedDemo, logger: false });
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

for (const [actor, realmSuffix, credentials] of [
  ['agent', 'U', DEMO.agent],
  ['customer', 'C', DEMO.customer],
] as const) {
  describe(`the PKCE flow over a real socket for a ${actor}`, () => {
    it('signs in, consents, exchanges the code with oauth4webapi and verifies the token against the JWKS', async () => {
      const issuer = new URL(`${publicUrl}/system/auth/${DEMO.tenantId}-${realmSuffix}`);
      const insecure = { [oauth.allowInsecureRequests]: true };
      // RFC 8414 discovery (well-known inserted before the issuer path).
      const as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
      );
      expect(as.issuer).toBe(issuer.href);
      expect(as.authorization_response_iss_parameter_supported).toBe(true);

      const client: oauth.Client = { client_id: DEMO.clientId };
      const redirectUri = 'http://localhost:5173/callback';
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const authorizationUrl = new URL(as.authorization_endpoint!);
      authorizationUrl.search = new URLSearchParams({
        client_id: client.client_id,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'core.aiservices.read core.aiservices.write',
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      }).toString();

      const jar = new CookieJar();
      const toLogin = await browse(jar, authorizationUrl.href);
      expect(toLogin.status).toBe(303);
      const loginPage = await (await browse(jar, toLogin.headers.get('location')!)).text();
      const afterLogin = await browse(jar, `${issuer.href}/login`, {
        request: hidden(loginPage, 'request'),
        csrf_token: hidden(loginPage, 'csrf_token'),
        username: credentials.username,
        password: credentials.password,
      });
      expect(afterLogin.status).toBe(303);
      const consentPage = await (await browse(jar, afterLogin.headers.get('location')!)).text();
      expect(consentPage).toContain('Gatehouse Demo SPA');
      const callback = await browse(jar, `${issuer.href}/consent`, {
        request: hidden(consentPage, 'request'),
        csrf_token: hidden(consentPage, 'csrf_token'),
        decision: 'allow',
      });
      expect(callback.status).toBe(303);
      const callbackUrl = new URL(callback.headers.get('location')!);
      expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(redirectUri);

      // oauth4webapi checks state and the RFC 9207 iss parameter.
      const params = oauth.validateAuthResponse(as, client, callbackUrl, state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        params,
        redirectUri,
        codeVerifier,
        insecure,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.scope).toBe('core.aiservices.read core.aiservices.write');
      expect(tokens.expires_in).toBe(900);

      const { payload, protectedHeader } = await jwtVerify(
        tokens.access_token,
        createRemoteJWKSet(new URL(as.jwks_uri!)),
        {
          issuer: issuer.href,
          audience: DEMO.apiDomain,
          typ: 'at+jwt',
          algorithms: ['ES256'],
        },
      );
      expect(protectedHeader.alg).toBe('ES256');
      expect(payload).toMatchObject({
        client_id: DEMO.clientId,
        tenant_id: DEMO.tenantId,
        actor: actor === 'agent' ? 'user' : 'customer',
      });
    });
  });
}

describe('OpenID Connect and the token lifecycle over a real socket, checked by oauth4webapi', () => {
  it('validates the id_token (nonce, at_hash), refreshes with rotation, reads userinfo and revokes', async () => {
    const issuer = new URL(`${publicUrl}/system/auth/${DEMO.tenantId}-U`);
    const insecure = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }),
    );
    const client: oauth.Client = { client_id: DEMO.clientId, id_token_signed_response_alg: 'ES256' };
    const redirectUri = 'http://localhost:5173/callback';
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const authorizationUrl = new URL(as.authorization_endpoint!);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile email core.aiservices.read',
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();

    const jar = new CookieJar();
    const loginPage = await (
      await browse(jar, (await browse(jar, authorizationUrl.href)).headers.get('location')!)
    ).text();
    const afterLogin = await browse(jar, `${issuer.href}/login`, {
      request: hidden(loginPage, 'request'),
      csrf_token: hidden(loginPage, 'csrf_token'),
      ...DEMO.agent,
    });
    const consentPage = await (await browse(jar, afterLogin.headers.get('location')!)).text();
    const callback = await browse(jar, `${issuer.href}/consent`, {
      request: hidden(consentPage, 'request'),
      csrf_token: hidden(consentPage, 'csrf_token'),
      decision: 'allow',
    });
    const params = oauth.validateAuthResponse(as, client, new URL(callback.headers.get('location')!), state);

    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri,
      codeVerifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: nonce,
      requireIdToken: true,
    });
    const idClaims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(idClaims.nonce).toBe(nonce);
    expect(idClaims.aud).toBe(DEMO.clientId);
    expect(tokens.refresh_token).toBeTruthy();

    const userInfo = await oauth.processUserInfoResponse(
      as,
      client,
      idClaims.sub,
      await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
    );
    expect(userInfo).toEqual({
      sub: idClaims.sub,
      preferred_username: DEMO.agent.username,
      email: DEMO.agent.email,
      email_verified: false,
    });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), refreshed.refresh_token!, insecure),
    );
    const afterRevoke = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      refreshed.refresh_token!,
      insecure,
    );
    await expect(oauth.processRefreshTokenResponse(as, client, afterRevoke)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});

describe('discovery over a real socket', () => {
  it('serves the OpenID-style document that oauth4webapi accepts', async () => {
    const issuer = new URL(`${publicUrl}/system/auth/${DEMO.tenantId}-U`);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: true }),
    );
    expect(as.token_endpoint).toBe(`${issuer.href}/oauth2/token`);
  });
});
