import { CookieJar } from './http.mjs';
import {
  FlowError,
  authorizeWithSession,
  exchangeCode,
  fetchMetadata,
  firstSignIn,
  returningFlow,
  rotateRefreshToken,
} from './flows.mjs';

/**
 * The scenarios, each the same for both servers. A scenario prepares its virtual users on a
 * fresh server (`setup`, not measured), then `iteration` is what is counted.
 *
 *   returning     authorize with a session cookie -> code -> token (2 requests)
 *   exchange      token with a code minted beforehand through real authorize requests
 *   refresh       refresh-token rotation, each user on its own chain
 *   first-sign-in authorize -> login form -> password -> (resume) -> code -> token
 *   discovery     GET the OpenID Provider metadata
 *   jwks          GET the JWKS
 */

/** A virtual user signed in through the real login form (a session cookie in its jar). */
async function signedInUser(target, client, index) {
  const jar = new CookieJar();
  const user = target.users[index % target.users.length];
  const refreshToken = await firstSignIn(target, client, jar, user);
  return { index, jar, refreshToken };
}

async function signedInUsers(target, client, count) {
  return Promise.all(Array.from({ length: count }, (_, i) => signedInUser(target, client, i)));
}

/** GET one of the server's metadata documents (`target.paths[path]`) and check its content. */
function metadataScenario(title, path, check) {
  return {
    unit: 'requests',
    title,
    setup: ({ concurrency }) => Array.from({ length: concurrency }, (_, index) => ({ index })),
    iteration:
      ({ target, client }) =>
      () =>
        fetchMetadata(client, target.paths[path], (json) => check(json, target)),
  };
}

export const SCENARIOS = {
  returning: {
    unit: 'flows',
    title: 'returning flow (authorize with session -> token)',
    setup: ({ target, client, concurrency }) => signedInUsers(target, client, concurrency),
    iteration:
      ({ target, client }) =>
      (user) =>
        returningFlow(target, client, user.jar),
  },
  exchange: {
    unit: 'exchanges',
    title: 'code exchange only',
    // Codes are minted before the run: they must outlive the pre-phase plus the run.
    codeTtlSeconds: 600,
    setup: ({ target, client, concurrency }) => signedInUsers(target, client, concurrency),
    /**
     * Mints codes through real authorize requests (with the users' sessions) until `count` are
     * minted or `seconds` pass; the run then exchanges them oldest first.
     */
    async prePhase({ target, client, users, seconds, count = 1_000_000 }) {
      const pool = [];
      pool.next = 0;
      const deadline = Date.now() + seconds * 1000;
      await Promise.all(
        users.map(async (user) => {
          while (Date.now() < deadline && pool.length < count)
            pool.push(await authorizeWithSession(target, client, user.jar));
        }),
      );
      return pool;
    },
    iteration:
      ({ target, client, pool }) =>
      () => {
        const minted = pool.next < pool.length ? pool[pool.next++] : undefined;
        if (!minted) throw new FlowError('code-pool-empty');
        return exchangeCode(target, client, minted);
      },
    shouldStop:
      ({ pool }) =>
      () =>
        pool.next >= pool.length,
  },
  refresh: {
    unit: 'refreshes',
    title: 'refresh rotation',
    setup: ({ target, client, concurrency }) => signedInUsers(target, client, concurrency),
    iteration:
      ({ target, client }) =>
      async (user) => {
        user.refreshToken = await rotateRefreshToken(target, client, user.refreshToken);
      },
    // A broken chain (a failed rotation) starts a new family through a returning flow.
    recover:
      ({ target, client }) =>
      async (user) => {
        user.refreshToken = await returningFlow(target, client, user.jar);
      },
  },
  'first-sign-in': {
    unit: 'sign-ins',
    title: 'first sign-in with a password',
    setup: ({ concurrency }) => Array.from({ length: concurrency }, (_, index) => ({ index })),
    iteration:
      ({ target, client }) =>
      (user) =>
        firstSignIn(target, client, new CookieJar(), target.users[user.index % target.users.length]),
  },
  discovery: metadataScenario(
    'discovery (openid-configuration)',
    'discovery',
    (json, target) => json.issuer === target.issuer && json.token_endpoint === `${target.origin}${target.paths.token}`,
  ),
  // An ES256 key (access tokens) at least; Gatehouse also publishes its RS256 ID Token keys.
  jwks: metadataScenario(
    'JWKS',
    'jwks',
    (json) =>
      Array.isArray(json.keys) &&
      json.keys.some((key) => key.kty === 'EC' && key.crv === 'P-256') &&
      json.keys.every((key) => (key.kty === 'EC' && key.crv === 'P-256') || key.kty === 'RSA'),
  ),
};
