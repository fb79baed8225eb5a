/**
 * The peer the benchmark measures Gatehouse against: oidc-provider (the pinned devDependency of
 * @gatehouse/bench), configured like Gatehouse's hot path:
 *   - in-memory storage (./memory-adapter.mjs, unbounded, entries kept until they expire);
 *   - access tokens are RFC 9068 JWTs signed ES256 (resource indicators with a default resource,
 *     accessTokenFormat 'jwt'), ID Tokens signed ES256, `openid` requested by the benchmark;
 *   - PKCE required (S256), public SPA-like client (token_endpoint_auth_method none), refresh
 *     tokens issued on every code exchange and rotated on every use (as Gatehouse does);
 *   - a login form of our own on oidc-provider's interaction endpoints that checks the password
 *     against an scrypt hash (N=2^14, r=8, p=1), the peer's counterpart of Gatehouse's argon2id.
 *
 * Configured by environment (set by bench/lib/peer.mjs): BENCH_PEER_PORT, BENCH_PEER_ISSUER,
 * BENCH_PEER_CLIENT_ID, BENCH_PEER_REDIRECT_URI, BENCH_PEER_RESOURCE, BENCH_PEER_SCOPES
 * (space-separated), BENCH_PEER_USERS (JSON [{username, password}]), BENCH_PEER_CODE_TTL_SECONDS.
 * Prints `listening` on stdout once it accepts connections.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';
import { MemoryAdapter } from './memory-adapter.mjs';
import { hashPassword, verifyPassword } from './password.mjs';

const env = process.env;
const port = Number(env.BENCH_PEER_PORT);
const issuer = env.BENCH_PEER_ISSUER;
const clientId = env.BENCH_PEER_CLIENT_ID;
const redirectUri = env.BENCH_PEER_REDIRECT_URI;
const resource = env.BENCH_PEER_RESOURCE;
const resourceScopes = env.BENCH_PEER_SCOPES;
const codeTtlSeconds = Number(env.BENCH_PEER_CODE_TTL_SECONDS || 60);
const OIDC_SCOPES = new Set(['openid', 'offline_access']);
const RESOURCE_SCOPES = new Set(resourceScopes.split(' '));

// Users: username -> { accountId, hash }. Hashed once at start-up (not part of any measurement).
const users = new Map();
for (const { username, password } of JSON.parse(env.BENCH_PEER_USERS)) {
  users.set(username, { accountId: randomUUID(), hash: await hashPassword(password) });
}

const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  clients: [
    {
      client_id: clientId,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [{ ...signingKey, kid: randomUUID(), alg: 'ES256', use: 'sig' }] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== resource) throw new errors.InvalidTarget();
        return {
          scope: resourceScopes,
          audience: resource,
          accessTokenTTL: 900,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
  // Gatehouse issues a refresh token with every code exchange (no offline_access needed): same here.
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  findAccount: (_ctx, accountId) => ({ accountId, claims: () => ({ sub: accountId }) }),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // Gatehouse's defaults, where the two have the same notion.
  ttl: {
    AccessToken: 900,
    AuthorizationCode: codeTtlSeconds,
    IdToken: 300,
    Interaction: 600,
    Session: 8 * 3600,
    Grant: 30 * 24 * 3600,
    RefreshToken: (ctx, _token, client) => {
      const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
      return rotated && client.clientAuthMethod === 'none' ? rotated.remainingTTL : 30 * 24 * 3600;
    },
  },
});

const callback = provider.callback();

const server = createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    handleInteraction(req, res).catch((error) => {
      process.stderr.write(`interaction failed: ${error.stack}\n`);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
    return;
  }
  callback(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

/**
 * GET /interaction/:uid renders the login form; POST /interaction/:uid/login checks the password
 * and, on success, finishes the interaction with the login and a grant covering what the request
 * asked for (the consent step, which Gatehouse's bench client skips too).
 */
async function handleInteraction(req, res) {
  const [, , uid, action] = req.url.split('?')[0].split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return sendPage(res, 400, '<p>interaction mismatch</p>');
  if (req.method === 'GET' && action === undefined) return sendPage(res, 200, loginForm(uid));
  if (req.method !== 'POST' || action !== 'login') return sendPage(res, 405, '<p>method not allowed</p>');

  const form = new URLSearchParams(await readBody(req));
  const user = users.get(form.get('username') ?? '');
  const ok = await verifyPassword(user?.hash ?? DUMMY_HASH, form.get('password') ?? '');
  if (!user || !ok) return sendPage(res, 401, loginForm(uid, 'Incorrect username or password.'));

  // The login prompt does not list what consent will miss, so the grant is built from the
  // request itself: its OpenID scopes, and its resource scopes for the (default) resource.
  const requested = String(details.params.scope ?? '').split(' ');
  const grant = new provider.Grant({ accountId: user.accountId, clientId: details.params.client_id });
  grant.addOIDCScope(requested.filter((scope) => OIDC_SCOPES.has(scope)).join(' '));
  const forResource = requested.filter((scope) => RESOURCE_SCOPES.has(scope));
  if (forResource.length > 0) grant.addResourceScope(details.params.resource ?? resource, forResource.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

// Unknown usernames still cost one hash check, as in Gatehouse (no user enumeration by timing).
const DUMMY_HASH = await hashPassword(randomBytes(16).toString('hex'));

function loginForm(uid, error = '') {
  return `<!doctype html><title>Sign in</title>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<input name="username" autocomplete="username" required>
<input name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`;
}

function sendPage(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
