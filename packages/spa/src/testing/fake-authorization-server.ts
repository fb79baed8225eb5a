// A stand-in for a Gatehouse realm, over real HTTP on 127.0.0.1: discovery, an authorization
// endpoint that redirects with code/state/iss, a token endpoint that checks PKCE S256, rotates
// refresh tokens (a reused one is refused and revokes its family) and issues ES256 ID tokens when
// `openid` is granted, a revocation endpoint, and a userinfo endpoint. Test-only; not built.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export const CLIENT_ID = 'spa-client';
export const REDIRECT_URI = 'https://app.example.test/callback';
export const AUDIENCE = 'https://api.example.test';
export const SUBJECT = 'user-42';
/** `auth_time` of every ID token: when the fake user "signed in", seconds since the epoch. */
export const AUTH_TIME = Date.UTC(2024, 11, 31, 23, 0, 0) / 1000;
/** What the userinfo endpoint says about SUBJECT. */
export const USER_PROFILE = { preferred_username: 'ada', email: 'ada@example.test', email_verified: true };

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
  nonce: string | undefined;
}

/** Every refresh token rotated from one code exchange shares a family (RFC 9700 §4.14.2). */
interface RefreshGrant {
  scope: string;
  used: boolean;
  family: number;
}

interface IssuedAccessToken {
  scope: string;
  family: number;
}

/** Changes to the next ID token: claims merged over the genuine ones (undefined removes one), or no ID token at all. */
export interface IdTokenTampering {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  omit?: boolean;
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
  /** Authorization headers received by the userinfo endpoint, in order. */
  readonly userinfoRequests: Array<{ method: string; authorization: string | undefined }>;
  /** ID tokens issued, in order. */
  readonly issuedIdTokens: string[];
  /** The realm's public key, to verify what the server signed. */
  readonly publicKey: CryptoKey;
  /** Refresh tokens issued, in order. */
  readonly issuedRefreshTokens: string[];
  /** Plays the user agent: GETs the authorization URL and returns the redirect's Location. */
  authorize(authorizationUrl: string): Promise<string>;
  /** The next authorization request is answered with error=access_denied. */
  denyNextAuthorization(): void;
  /** The next authorization request is answered with this error (e.g. consent_required). */
  failNextAuthorization(error: string): void;
  /**
   * Whether the browser has a session at the server (default true). Without one a `prompt=none`
   * request is answered with login_required, as Gatehouse does.
   */
  setBrowserSignedIn(signedIn: boolean): void;
  /** Server-side end of every refresh token (expiry, admin revocation). */
  revokeAllRefreshTokens(): void;
  /** Applies to the next ID token only. */
  tamperNextIdToken(tampering: IdTokenTampering): void;
  /** The userinfo endpoint answers with this `sub` from now on. */
  setUserinfoSubject(sub: string): void;
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
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const accessTokens = new Map<string, IssuedAccessToken>();
  const tokenRequests: Record<string, string>[] = [];
  const revocationRequests: Record<string, string>[] = [];
  const authorizationRequests: Record<string, string>[] = [];
  const userinfoRequests: Array<{ method: string; authorization: string | undefined }> = [];
  const issuedRefreshTokens: string[] = [];
  const issuedIdTokens: string[] = [];
  let failNext: string | undefined;
  let browserSignedIn = true;
  let idTokenTampering: IdTokenTampering | undefined;
  let userinfoSubject = SUBJECT;
  let jti = 0;
  let families = 0;
  let origin = '';
  let issuer = '';
  const base = `/system/auth/${realm}`;

  /** Ends a whole grant: its refresh tokens and the access tokens issued from them. */
  function revokeFamily(family: number): void {
    for (const [token, grant] of refreshTokens) if (grant.family === family) refreshTokens.delete(token);
    for (const [token, issued] of accessTokens) if (issued.family === family) accessTokens.delete(token);
  }

  /** The ID token Gatehouse issues on the code exchange when `openid` was granted. */
  async function issueIdToken(
    accessToken: string,
    nonce: string | undefined,
    tampering: IdTokenTampering,
  ): Promise<string> {
    const iat = Math.floor(now() / 1000);
    const genuine = {
      iss: issuer,
      sub: SUBJECT,
      aud: CLIENT_ID,
      exp: iat + expiresInSeconds,
      iat,
      auth_time: AUTH_TIME,
      nonce,
      // OIDC Core §3.1.3.6: left half of the SHA-256 of the access token.
      at_hash: b64u(createHash('sha256').update(accessToken).digest().subarray(0, 16)),
    };
    const claims = Object.fromEntries(
      Object.entries({ ...genuine, ...tampering.claims }).filter(([, v]) => v !== undefined),
    );
    const header = { alg: 'ES256', typ: 'JWT', kid: 'realm-key-1', ...tampering.header };
    const idToken =
      header.alg === 'none'
        ? `${b64u(Buffer.from(JSON.stringify(header)))}.${b64u(Buffer.from(JSON.stringify(claims)))}.`
        : await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
    issuedIdTokens.push(idToken);
    return idToken;
  }

  async function issueTokens(
    scope: string,
    family: number,
    idToken?: { nonce: string | undefined },
  ): Promise<Record<string, unknown>> {
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
    accessTokens.set(accessToken, { scope, family });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresInSeconds,
      scope,
    };
    if (idToken && scope.split(' ').includes('openid')) {
      const tampering = idTokenTampering ?? {};
      idTokenTampering = undefined;
      if (!tampering.omit) body.id_token = await issueIdToken(accessToken, idToken.nonce, tampering);
    }
    if (issueRefreshTokens) {
      const refreshToken = b64u(randomBytes(32));
      refreshTokens.set(refreshToken, { scope, used: false, family });
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
      const challenge = b64u(
        createHash('sha256')
          .update(form.code_verifier ?? '')
          .digest(),
      );
      if (
        !issued ||
        issued.clientId !== form.client_id ||
        issued.redirectUri !== form.redirect_uri ||
        issued.challenge !== challenge
      ) {
        return json(res, 400, {
          error: 'invalid_grant',
          error_description: 'code, client, redirect_uri or code_verifier mismatch',
        });
      }
      return json(res, 200, await issueTokens(issued.scope, ++families, { nonce: issued.nonce }));
    }
    if (form.grant_type === 'refresh_token') {
      const grant = form.refresh_token ? refreshTokens.get(form.refresh_token) : undefined;
      if (!grant || grant.used || form.client_id !== CLIENT_ID) {
        // Reuse of a rotated token: someone else holds the family, so all of it dies.
        if (grant?.used) revokeFamily(grant.family);
        return json(res, 400, {
          error: 'invalid_grant',
          error_description: 'refresh token unknown, revoked, or already used',
        });
      }
      grant.used = true;
      const requested = form.scope ?? grant.scope;
      const granted = new Set(grant.scope.split(' '));
      if (!requested.split(' ').every((s) => granted.has(s))) {
        return json(res, 400, { error: 'invalid_scope', error_description: 'scope exceeds the grant' });
      }
      const body = await issueTokens(requested, grant.family);
      // The rotated refresh token keeps the whole grant's scope, not the narrowed one.
      if (typeof body.refresh_token === 'string')
        refreshTokens.set(body.refresh_token, { scope: grant.scope, used: false, family: grant.family });
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
    if (!valid) {
      json(res, 400, { error: 'invalid_request' });
      return;
    }
    const redirect = new URL(REDIRECT_URI);
    const error = failNext ?? (params.prompt === 'none' && !browserSignedIn ? 'login_required' : undefined);
    failNext = undefined;
    if (error) {
      redirect.searchParams.set('error', error);
      redirect.searchParams.set(
        'error_description',
        error === 'access_denied' ? 'The user declined' : 'No page may be shown',
      );
    } else {
      const code = b64u(randomBytes(16));
      codes.set(code, {
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        scope: params.scope!,
        challenge: params.code_challenge!,
        nonce: params.nonce,
      });
      redirect.searchParams.set('code', code);
    }
    redirect.searchParams.set('state', params.state!);
    redirect.searchParams.set('iss', issuer);
    res.writeHead(302, { location: redirect.href });
    res.end();
  }

  /** OIDC Core §5.3: a bearer access token carrying `openid`; RFC 6750 §3 challenges otherwise. */
  function userinfo(req: IncomingMessage, res: ServerResponse): void {
    const authorization = req.headers.authorization;
    userinfoRequests.push({ method: req.method ?? '', authorization });
    const issued = authorization?.startsWith('Bearer ') ? accessTokens.get(authorization.slice(7)) : undefined;
    if (!issued) {
      res.writeHead(401, {
        'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is not active"',
      });
      res.end();
      return;
    }
    if (!issued.scope.split(' ').includes('openid')) {
      res.writeHead(403, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="openid"' });
      res.end();
      return;
    }
    json(res, 200, { sub: userinfoSubject, ...USER_PROFILE });
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
          userinfo_endpoint: `${issuer}/oauth2/userinfo`,
          id_token_signing_alg_values_supported: ['ES256'],
          subject_types_supported: ['public'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
          authorization_response_iss_parameter_supported: true,
        });
      }
      if (route === `GET ${base}/oauth2/authorize`) return authorizeEndpoint(url, res);
      if (route === `POST ${base}/oauth2/token`) return token(req, res);
      if (route === `GET ${base}/oauth2/userinfo` || route === `POST ${base}/oauth2/userinfo`)
        return userinfo(req, res);
      if (route === `POST ${base}/oauth2/revoke` && options.revocationEndpoint) {
        const form = await readForm(req);
        revocationRequests.push(form);
        const grant = form.token ? refreshTokens.get(form.token) : undefined;
        if (grant) revokeFamily(grant.family);
        // RFC 7009 §2.2: 200 whether or not the token was known.
        return json(res, 200, {});
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
    userinfoRequests,
    issuedRefreshTokens,
    issuedIdTokens,
    publicKey,
    async authorize(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location)
        throw new Error(`authorization failed: ${response.status} ${await response.text()}`);
      return location;
    },
    denyNextAuthorization: () => void (failNext = 'access_denied'),
    failNextAuthorization: (error) => void (failNext = error),
    setBrowserSignedIn: (signedIn) => void (browserSignedIn = signedIn),
    revokeAllRefreshTokens: () => refreshTokens.clear(),
    tamperNextIdToken: (tampering) => void (idTokenTampering = tampering),
    setUserinfoSubject: (sub) => void (userinfoSubject = sub),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
