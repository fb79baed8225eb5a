import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError, expectRedirect } from './flows.mjs';
import { createDatabaseStore } from './gatehouse-database.mjs';
import { freePort, spawnPinned, waitUntilReady } from './processes.mjs';

/**
 * Gatehouse as the benchmark runs it: the built CLI (`npm run build` first), a SQLite file on
 * disk with the server's defaults (synchronous=FULL, ES256) or a PostgreSQL database, seeded
 * once through the CLI as an operator would (tenant, two scopes, an SPA client that skips the
 * consent page, users), then copied afresh for every server start so each scenario starts from
 * the same state.
 */

const ROOT = new URL('../..', import.meta.url).pathname;
// BENCH_GATEHOUSE_CLI: another build's bin/gatehouse.js, to compare two builds under the same harness.
const CLI = process.env.BENCH_GATEHOUSE_CLI ?? join(ROOT, 'packages/server/bin/gatehouse.js');
const TENANT = 'TBENCH000000001';
const REALM = `${TENANT}-U`;
export const SCOPES = ['core.aiservices.read', 'core.aiservices.write'];
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const USER_COUNT = 4;

function cli(args, stdin) {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      error ? reject(new Error(`gatehouse ${args.join(' ')} failed:\n${stdout}${stderr}`)) : resolve(stdout),
    );
    child.stdin.end(stdin ?? '');
  });
}

/** Seeds the template database once (SQLite unless `databaseUrl` is postgres://…). */
export async function prepareGatehouse(databaseUrl) {
  if (!existsSync(join(ROOT, 'packages/server/dist/cli.js')))
    throw new Error('packages/server/dist is missing: run `npm run build` first (npm run bench does)');
  const store = await createDatabaseStore(databaseUrl);
  const database = store.template;
  const json = async (args, stdin) => JSON.parse(await cli([...args, '--database', database, '--json'], stdin));
  // Per-command help where the CLI has it, the global usage otherwise.
  const help = await cli(['client', 'create', '--help']).catch(() => cli(['--help']));
  // The CLI creates a database only through migrate (or start), never by a typo'd --database.
  await cli(['migrate', '--database', database]);
  await json(['tenant', 'create', '--id', TENANT, '--name', 'Bench', '--api-domain', 'https://api.bench.example']);
  for (const scope of SCOPES)
    await json(['scope', 'create', '--tenant', TENANT, '--name', scope, '--description', `Bench scope ${scope}`]);
  const clientArgs = ['client', 'create', '--tenant', TENANT, '--name', 'Bench SPA', '--platform', 'spa'];
  clientArgs.push('--resource-type', 'global', '--redirect-uri', REDIRECT_URI, '--consent', 'skip');
  for (const scope of SCOPES) clientArgs.push('--scope', scope);
  // ES256 is today's only ID Token algorithm; pass it explicitly once the CLI knows the flag.
  const idTokenAlgFlag = help.includes('--id-token-alg');
  if (idTokenAlgFlag) clientArgs.push('--id-token-alg', 'ES256');
  const { client_id: clientId } = await json(clientArgs);
  const users = Array.from({ length: USER_COUNT }, (_, i) => ({
    username: `bench-user-${i}`,
    password: `bench-password-${i}-${clientId.slice(0, 8)}`,
  }));
  await Promise.all(
    users.map((user) =>
      json(
        ['user', 'create', '--tenant', TENANT, '--actor', 'user', '--username', user.username, '--password-stdin'],
        user.password,
      ),
    ),
  );
  return { store, clientId, users, idTokenAlgFlag };
}

/**
 * Starts a fresh Gatehouse pinned to `core` on a copy of the template database.
 * `codeTtlSeconds` lengthens the code lifetime for runs that mint codes ahead of time.
 */
export async function startGatehouse(prepared, { core, codeTtlSeconds, run, synchronous }) {
  const database = await prepared.store.fresh(run);
  const port = await freePort();
  let metricsPort = await freePort();
  while (metricsPort === port) metricsPort = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawnPinned(
    core,
    [CLI, 'start', '--database', database, '--host', '127.0.0.1', '--port', String(port), '--public-url', origin],
    {
      cwd: ROOT,
      env: {
        // Only what the run sets: the rest of the configuration is the server's defaults, whatever
        // GATEHOUSE_* the calling shell may have exported ('' counts as unset).
        ...Object.fromEntries(
          Object.keys(process.env)
            .filter((key) => key.startsWith('GATEHOUSE_'))
            .map((key) => [key, '']),
        ),
        GATEHOUSE_LOG_LEVEL: 'warn',
        GATEHOUSE_CODE_TTL_SECONDS: codeTtlSeconds ? String(codeTtlSeconds) : '',
        GATEHOUSE_SQLITE_SYNCHRONOUS: synchronous ?? '',
        // Metrics stay on (the default) but on a free port: 9464 may be taken on a shared machine.
        GATEHOUSE_METRICS_PORT: String(metricsPort),
        // Every simulated person signs in from 127.0.0.1, many at once: sign-in attempts are
        // reserved before the password check (issue 12), so the per-address and per-username
        // limits would answer 429 to concurrent sign-ins; they are raised for the load test.
        GATEHOUSE_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
        GATEHOUSE_LOGIN_MAX_FAILURES: '1000',
      },
    },
  );
  try {
    await waitUntilReady(proc, `${origin}/healthz`);
  } catch (error) {
    await proc.stop();
    await prepared.store.discard(database);
    throw error;
  }
  const issuerPath = `/system/auth/${REALM}`;
  const target = {
    name: 'gatehouse',
    origin,
    issuer: `${origin}${issuerPath}`,
    paths: {
      authorize: `${issuerPath}/oauth2/authorize`,
      token: `${issuerPath}/oauth2/token`,
      discovery: `${issuerPath}/.well-known/openid-configuration`,
      jwks: `${issuerPath}/oauth2/jwks`,
    },
    clientId: prepared.clientId,
    redirectUri: REDIRECT_URI,
    scope: ['openid', ...SCOPES].join(' '),
    users: prepared.users,
    /** Gatehouse's login page: a form with `request` and `csrf_token`, posted with the password. */
    async signIn(client, jar, loginPath, user) {
      const page = await client.request('GET', loginPath, { cookie: jar.header() });
      jar.store(page.headers);
      if (page.status !== 200) throw new FlowError(`login-page-status-${page.status}`);
      const request = /name="request" value="([^"]+)"/.exec(page.body)?.[1];
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1];
      if (!request || !csrf) throw new FlowError('login-page-form');
      const body = new URLSearchParams({ request, csrf_token: csrf, username: user.username, password: user.password });
      const res = await client.request('POST', `${issuerPath}/login`, { body: body.toString(), cookie: jar.header() });
      jar.store(res.headers);
      return expectRedirect(res, 'login');
    },
  };
  target.jwks = JSON.parse(await (await fetch(`${origin}${target.paths.jwks}`)).text());
  return { target, proc, discard: () => prepared.store.discard(database) };
}
