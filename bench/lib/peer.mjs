import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { FlowError, expectRedirect, pathOf } from './flows.mjs';
import { REDIRECT_URI, SCOPES, USER_COUNT } from './gatehouse.mjs';
import { freePort, spawnPinned, waitUntilReady } from './processes.mjs';

/** oidc-provider 9.13.3 as configured in bench/peer/server.mjs, started afresh for each scenario. */

const SERVER = join(new URL('..', import.meta.url).pathname, 'peer/server.mjs');
const RESOURCE = 'https://api.bench.example';

export function preparePeer() {
  const clientId = randomUUID();
  const users = Array.from({ length: USER_COUNT }, (_, i) => ({
    username: `bench-user-${i}`,
    password: `bench-password-${i}-${clientId.slice(0, 8)}`,
  }));
  return { clientId, users };
}

export async function startPeer(prepared, { core, codeTtlSeconds }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawnPinned(core, [SERVER], {
    env: {
      NODE_ENV: 'production',
      BENCH_PEER_PORT: String(port),
      BENCH_PEER_ISSUER: origin,
      BENCH_PEER_CLIENT_ID: prepared.clientId,
      BENCH_PEER_REDIRECT_URI: REDIRECT_URI,
      BENCH_PEER_RESOURCE: RESOURCE,
      BENCH_PEER_SCOPES: SCOPES.join(' '),
      BENCH_PEER_USERS: JSON.stringify(prepared.users),
      BENCH_PEER_CODE_TTL_SECONDS: String(codeTtlSeconds ?? 60),
    },
  });
  try {
    await waitUntilReady(proc, `${origin}/.well-known/openid-configuration`);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  const target = {
    name: 'oidc-provider',
    origin,
    issuer: origin,
    paths: { authorize: '/auth', token: '/token', discovery: '/.well-known/openid-configuration', jwks: '/jwks' },
    clientId: prepared.clientId,
    redirectUri: REDIRECT_URI,
    scope: ['openid', ...SCOPES].join(' '),
    users: prepared.users,
    /** The peer's login: our form on its interaction endpoint, then its resume redirect. */
    async signIn(client, jar, interactionPath, user) {
      const page = await client.request('GET', interactionPath, { cookie: jar.header() });
      jar.store(page.headers);
      if (page.status !== 200) throw new FlowError(`login-page-status-${page.status}`);
      const action = /action="([^"]+)"/.exec(page.body)?.[1];
      if (!action) throw new FlowError('login-page-form');
      const body = new URLSearchParams({ username: user.username, password: user.password }).toString();
      const res = await client.request('POST', action, { body, cookie: jar.header() });
      jar.store(res.headers);
      const resume = pathOf(target, expectRedirect(res, 'login'));
      const back = await client.request('GET', resume, { cookie: jar.header() });
      jar.store(back.headers);
      return expectRedirect(back, 'resume');
    },
  };
  target.jwks = JSON.parse(await (await fetch(`${origin}${target.paths.jwks}`)).text());
  return { target, proc, discard: async () => {} };
}
