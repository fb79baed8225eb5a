// A stand-in for a Gatehouse realm, over real HTTP on 127.0.0.1: discovery, an authorization
// endpoint that redirects with code/state/iss, a token endpoint that checks PKCE S256 and rotates
// refresh tokens (a reused one is refused), and a revocation endpoint. Test-only; not built.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';

export const CLIENT_ID = 'spa-client';
export const REDIRECT_URI = 'https://app.example.test/callback';
export const AUDIENCE = 'https://api.example.test';
export const SUBJECT = 'user-42';

export interface FakeServerOptions {
  /** Shared test clock, milliseconds since the epoch: signs `iat`/`exp`. */
  now: () => number;
  realm?: string;
  expiresInSeconds?: number;
  issueRefreshTokens?: boolean;
  revocationEndpoint?: boolean;
  endSessionEndpoint?: boolean;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge: string;
}

interface RefreshGrant {
  scope: string;
  used: boolean;
}

export interface FakeAuthorizationServer {
  readonly origin: string;
  readonly issuer: string;
  /** Form bodies received by the token endpoint, in order. */
  readonly tokenRequests: Record<string, string>[];
  /** Form bodies received by the revocation endpoint, in order. */
  readonly revocationRequests: Record<string, string>[];
  /** Authorization request parameters received, in order. */
  readonly authorizationRequests: Record<string, string>[];
  /** Refresh tokens issued, in order. */
  readonly issuedRefreshTokens: string[];
  /** Plays the user agent: GETs the authorization URL and returns the redirect's Location. */
  authorize(authorizationUrl: string): Promise<string>;
  /** The next authorization request is answered with error=access_denied. */
  denyNextAuthorization(): void;
  /** Server-side end of every refresh token (expiry, admin revocation). */
  revokeAllRefreshTokens(): void;
  close(): Promise<void>;
}

const b64u = (bytes: Buffer) => bytes.toString('base64url');

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

export async function startFakeAuthorizationServer(options: FakeServerOptions): Promise<FakeAuthorizationServer> {
  const { now, realm = 'TEST-U', expiresInSeconds = 300, issueRefreshTokens = true } = options;
  const { privateKey } = await generateKeyPair('ES256');
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const tokenRequests: Record<string, string>[] = [];
  const revocationRequests: Record<string, string>[] = [];
  const authorizationRequests: Record<string, string>[] = [];
  const issuedRefreshTokens: string[] = [];
  let denyNext = false;
  let jti = 0;
  let origin = '';
  let issuer = '';
  const base = `/system/auth/${realm}`;

  async function issueTokens(scope: string): Promise<Record<string, unknown>> {
    const iat = Math.floor(now() / 1000);
    const accessToken = await new SignJWT({ scope, client_id: CLIENT_ID, tenant_id: realm.slice(0, -2), actor: 'user' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject(SUBJECT)
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresInSeconds)
      .setJti(`at-${++jti}`)
      .sign(privateKey);
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: expiresInSeconds, scope };
    if (issueRefreshTokens) {
      const refreshToken = b64u(randomBytes(32));
      refreshTokens.set(refreshToken, { scope, used: false });
      issuedRefreshTokens.push(refreshToken);
      body.refresh_token = refreshToken;
    }
    return body;
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    tokenRequests.push(form);
    if (form.grant_type === 'authorization_code') {
      const issued = form.code ? codes.get(form.code) : undefined;
      if (form.code) codes.delete(form.code);
      const challenge = b64u(createHash('sha256').update(form.code_verifier ?? '').digest());
      if (!issued || issued.clientId !== form.client_id || issued.redirectUri !== form.redirect_uri || issued.challenge !== challenge) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'code, client, redirect_uri or code_verifier mismatch' });
      }
      return json(res, 200, await issueTokens(issued.scope));
    }
    if (form.grant_type === 'refresh_token') {
      const grant = form.refresh_token ? refreshTokens.get(form.refresh_token) : undefined;
      if (!grant || grant.used || form.client_id !== CLIENT_ID) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'refresh token unknown, revoked, or already used' });
      }
      grant.used = true;
      const requested = form.scope ?? grant.scope;
      const granted = new Set(grant.scope.split(' '));
      if (!requested.split(' ').every((s) => granted.has(s))) {
        return json(res, 400, { error: 'invalid_scope', error_description: 'scope exceeds the grant' });
      }
      const body = await issueTokens(requested);
      // The rotated refresh token keeps the whole grant's scope, not the narrowed one.
      if (typeof body.refresh_token === 'string') refreshTokens.set(body.refresh_token, { scope: grant.scope, used: false });
      return json(res, 200, body);
    }
    return json(res, 400, { error: 'unsupported_grant_type' });
  }

  function authorizeEndpoint(url: URL, res: ServerResponse): void {
    const params = Object.fromEntries(url.searchParams);
    authorizationRequests.push(params);
    const valid =
      params.client_id === CLIENT_ID &&
      params.redirect_uri === REDIRECT_URI &&
      params.response_type === 'code' &&
      params.code_challenge_method === 'S256' &&
      /^[A-Za-z0-9_-]{43}$/.test(params.code_challenge ?? '') &&
      !!params.scope &&
      !!params.state;
    if (!valid) return json(res, 400, { error: 'invalid_request' });
    const redirect = new URL(REDIRECT_URI);
    if (denyNext) {
      denyNext = false;
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_description', 'The user declined');
    } else {
      const code = b64u(randomBytes(16));
      codes.set(code, { clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scope: params.scope!, challenge: params.code_challenge! });
      redirect.searchParams.set('code', code);
    }
    redirect.searchParams.set('state', params.state!);
    redirect.searchParams.set('iss', issuer);
    res.writeHead(302, { location: redirect.href });
    res.end();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      if (route === `GET ${base}/.well-known/openid-configuration`) {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/oauth2/authorize`,
          token_endpoint: `${issuer}/oauth2/token`,
          jwks_uri: `${issuer}/jwks`,
          ...(options.revocationEndpoint ? { revocation_endpoint: `${issuer}/oauth2/revoke` } : {}),
          ...(options.endSessionEndpoint ? { end_session_endpoint: `${issuer}/oauth2/logout` } : {}),
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
          authorization_response_iss_parameter_supported: true,
        });
      }
      if (route === `GET ${base}/oauth2/authorize`) return authorizeEndpoint(url, res);
      if (route === `POST ${base}/oauth2/token`) return token(req, res);
      if (route === `POST ${base}/oauth2/revoke` && options.revocationEndpoint) {
        const form = await readForm(req);
        revocationRequests.push(form);
        if (form.token) refreshTokens.delete(form.token);
        res.writeHead(200).end();
        return;
      }
      json(res, 404, { error: 'not_found' });
    };
    handle().catch((err: unknown) => json(res, 500, { error: 'server_error', error_description: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}${base}`;

  return {
    origin,
    issuer,
    tokenRequests,
    revocationRequests,
    authorizationRequests,
    issuedRefreshTokens,
    async authorize(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`authorization failed: ${response.status} ${await response.text()}`);
      return location;
    },
    denyNextAuthorization: () => void (denyNext = true),
    revokeAllRefreshTokens: () => refreshTokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
