import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';

/**
 * The flows the benchmark drives, written once for both servers. A server is described by a
 * target (bench/lib/gatehouse.mjs, bench/lib/peer.mjs): its endpoints, its client, its users and
 * how its login form is filled in. Every step checks what a real client would: redirect status
 * and target, `code`, `state` and `iss` (RFC 9207) on the redirect; status, token type, JWT
 * algorithm, issuer, audience/client and nonce on the token response. A failed check throws a
 * FlowError, which the load loop counts by kind.
 */

export class FlowError extends Error {
  constructor(kind, detail = '') {
    super(`${kind}${detail ? `: ${detail}` : ''}`);
    this.kind = kind;
  }
}

/** One in SIGNATURE_SAMPLE token responses also has its JWT signatures verified against the JWKS. */
const SIGNATURE_SAMPLE = 50;

/** RFC 7636 §4.1-4.2: a fresh verifier and its S256 challenge. */
export function newPkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const random = () => randomBytes(16).toString('base64url');

/** Origin-relative path of a URL the server sent (absolute on its own origin, or a path). */
export function pathOf(target, url) {
  if (url.startsWith('/')) return url;
  if (url.startsWith(target.origin)) return url.slice(target.origin.length) || '/';
  throw new FlowError('redirect-elsewhere', url.slice(0, 80));
}

export function authorizePath(target, pkce, state, nonce) {
  const query = new URLSearchParams({
    client_id: target.clientId,
    response_type: 'code',
    redirect_uri: target.redirectUri,
    scope: target.scope,
    state,
    nonce,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  });
  return `${target.paths.authorize}?${query}`;
}

export function expectRedirect(res, step) {
  if (res.status !== 302 && res.status !== 303) throw new FlowError(`${step}-status-${res.status}`);
  const location = res.headers.location;
  if (!location) throw new FlowError(`${step}-no-location`);
  return location;
}

/** RFC 6749 §4.1.2 + RFC 9207: the redirect back to the client carries our state, a code, the issuer. */
export function codeFromRedirect(target, location, state) {
  if (!location.startsWith(`${target.redirectUri}?`)) throw new FlowError('callback-target', location.slice(0, 80));
  const params = new URLSearchParams(location.slice(target.redirectUri.length + 1));
  if (params.has('error')) throw new FlowError(`callback-error-${params.get('error')}`);
  if (params.get('state') !== state) throw new FlowError('callback-state');
  if (params.get('iss') !== target.issuer) throw new FlowError('callback-iss');
  const code = params.get('code');
  if (!code) throw new FlowError('callback-no-code');
  return code;
}

function decodeJwt(token, what) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) throw new FlowError(`${what}-not-jwt`);
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    };
  } catch {
    throw new FlowError(`${what}-malformed`);
  }
}

let tokenResponses = 0;

/** Checks a token response (RFC 6749 §5.1, RFC 9068 access token, OIDC Core §3.1.3.3 ID Token). */
async function checkTokenResponse(target, res, { nonce, expectIdToken }) {
  if (res.status !== 200) throw new FlowError(`token-status-${res.status}`, res.body.slice(0, 120));
  let json;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new FlowError('token-not-json');
  }
  if (String(json.token_type).toLowerCase() !== 'bearer') throw new FlowError('token-type');
  if (typeof json.expires_in !== 'number') throw new FlowError('token-expires-in');
  if (typeof json.refresh_token !== 'string' || json.refresh_token.length < 20)
    throw new FlowError('token-no-refresh-token');
  const access = decodeJwt(json.access_token, 'access-token');
  if (access.header.alg !== 'ES256') throw new FlowError('access-token-alg');
  if (access.payload.iss !== target.issuer) throw new FlowError('access-token-iss');
  if (access.payload.client_id !== target.clientId) throw new FlowError('access-token-client');
  if (expectIdToken || json.id_token !== undefined) {
    const id = decodeJwt(json.id_token, 'id-token');
    if (id.header.alg !== 'ES256') throw new FlowError('id-token-alg');
    if (id.payload.iss !== target.issuer) throw new FlowError('id-token-iss');
    const aud = Array.isArray(id.payload.aud) ? id.payload.aud : [id.payload.aud];
    if (!aud.includes(target.clientId)) throw new FlowError('id-token-aud');
    if (nonce !== undefined && id.payload.nonce !== nonce) throw new FlowError('id-token-nonce');
  }
  if (++tokenResponses % SIGNATURE_SAMPLE === 0) await verifySignatures(target, json);
  return json;
}

async function verifySignatures(target, json) {
  const keys = (target.keySet ??= createLocalJWKSet(target.jwks));
  try {
    await jwtVerify(json.access_token, keys, { issuer: target.issuer });
    if (json.id_token) await jwtVerify(json.id_token, keys, { issuer: target.issuer, audience: target.clientId });
  } catch (error) {
    throw new FlowError('token-signature', error.code ?? error.message);
  }
}

/** POST token with grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export async function exchangeCode(target, client, { code, verifier, nonce }) {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: target.redirectUri,
    client_id: target.clientId,
    code_verifier: verifier,
  }).toString();
  const res = await client.request('POST', target.paths.token, { body });
  return (await checkTokenResponse(target, res, { nonce, expectIdToken: true })).refresh_token;
}

/** POST token with grant_type=refresh_token (RFC 6749 §6); a public client's token rotates. */
export async function rotateRefreshToken(target, client, refreshToken) {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: target.clientId,
  }).toString();
  const res = await client.request('POST', target.paths.token, { body });
  const json = await checkTokenResponse(target, res, { expectIdToken: false });
  if (json.refresh_token === refreshToken) throw new FlowError('refresh-not-rotated');
  return json.refresh_token;
}

/** Authorize with the session cookie of `jar`: the server answers with the code at once. */
export async function authorizeWithSession(target, client, jar) {
  const pkce = newPkce();
  const state = random();
  const nonce = random();
  const res = await client.request('GET', authorizePath(target, pkce, state, nonce), { cookie: jar.header() });
  jar.store(res.headers);
  const code = codeFromRedirect(target, expectRedirect(res, 'authorize'), state);
  return { code, verifier: pkce.verifier, nonce };
}

/** Returning flow: authorize with a session -> code -> token. Returns the refresh token. */
export async function returningFlow(target, client, jar) {
  return exchangeCode(target, client, await authorizeWithSession(target, client, jar));
}

/**
 * First sign-in in a fresh browser: authorize -> the server's login form -> password -> code ->
 * token. The session cookie ends up in `jar`. Returns the refresh token.
 */
export async function firstSignIn(target, client, jar, user) {
  const pkce = newPkce();
  const state = random();
  const nonce = random();
  const res = await client.request('GET', authorizePath(target, pkce, state, nonce), { cookie: jar.header() });
  jar.store(res.headers);
  const toLogin = expectRedirect(res, 'authorize');
  const location = await target.signIn(client, jar, pathOf(target, toLogin), user);
  const code = codeFromRedirect(target, location, state);
  return exchangeCode(target, client, { code, verifier: pkce.verifier, nonce });
}

/** GET a metadata document (discovery or JWKS) and check it is the server's JSON. */
export async function fetchMetadata(client, path, check) {
  const res = await client.request('GET', path);
  if (res.status !== 200) throw new FlowError(`metadata-status-${res.status}`);
  let json;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new FlowError('metadata-not-json');
  }
  if (!check(json)) throw new FlowError('metadata-content');
  return json;
}
