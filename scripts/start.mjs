#!/usr/bin/env node
// `npm start`: builds the workspace, then runs the whole demo together: Gatehouse with demo data
// (http://localhost:8080), the demo API (http://localhost:8081) and the demo SPA on Vite's dev
// server (http://localhost:5173). Prints what to open; Ctrl-C or SIGTERM stops all three.
// No dependencies beyond Node and the workspace's own packages.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// The demo client's redirect URI (http://localhost:5173/callback) and the tenant's API domain
// (http://localhost:8081) are fixed by the demo seed, so these ports are too.
const GATEHOUSE = { host: '127.0.0.1', port: 8080, url: 'http://localhost:8080' };
const API = { host: '127.0.0.1', port: 8081, url: 'http://localhost:8081' };
const SPA = { host: 'localhost', port: 5173, url: 'http://localhost:5173' };

/** How long the three may take to answer after they are spawned, in milliseconds. */
const READY_TIMEOUT_MS = 60_000;
/** How long a child may take to exit after SIGTERM before it is killed, in milliseconds. */
const STOP_GRACE_MS = 5_000;

const children = [];
let stopping = false;

function log(line) {
  process.stdout.write(`${line}\n`);
}

/** Runs an npm script of the root package, inheriting the terminal; exits if it fails. */
function runNpmScript(script) {
  // Under `npm start`, npm_execpath is the running npm's CLI: use the same one.
  const [command, args] = process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath, 'run', '--silent', script]]
    : ['npm', ['run', '--silent', script]];
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    log(`\nnpm run ${script} failed; nothing was started.`);
    process.exit(result.status ?? 1);
  }
}

/** Fails fast with a clear message instead of racing a process that already holds the port. */
function assertPortFree({ host, port, url }, name) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      log(`${name} cannot start: ${url} (port ${port}) is already in use. Is another \`npm start\` running?`);
      process.exit(1);
    });
    probe.listen(port, host, () => probe.close(resolve));
  });
}

/** Spawns a service whose output lines are prefixed with its name. */
function startService(name, args, options = {}) {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (buffered + chunk).split('\n');
      buffered = lines.pop();
      for (const line of lines) log(`${prefix}${line}`);
    });
  }
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(({ code, signal }) => {
    if (stopping) return;
    log(`${prefix}exited (${signal ?? `code ${code}`}); stopping the others.`);
    stop(1);
  });
  children.push(child);
  return child;
}

/**
 * Whether Gatehouse accepts the demo API's introspection client. A database seeded before that
 * client existed lacks it; the API then runs without introspection instead of answering 503.
 */
async function introspectionWorks(issuer, client) {
  try {
    const response = await fetch(`${issuer}/oauth2/introspect`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'token=probe',
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Resolves once `url` answers with a 2xx status. */
async function waitUntilReady(url, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && !stopping) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!stopping) {
    log(`${url} did not answer within ${READY_TIMEOUT_MS / 1000} s; stopping.`);
    stop(1);
  }
}

function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of running) child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  void Promise.all(running.map((child) => child.exited)).then(() => {
    clearTimeout(force);
    if (exitCode === 0) log('Stopped Gatehouse, the demo API and the demo SPA.');
    process.exit(exitCode);
  });
}

/** The SPA's token store, read by Vite from the environment; checked here so a typo fails at once. */
function spaTokenStore() {
  const store = process.env.VITE_TOKEN_STORE || 'memory';
  if (!['memory', 'session', 'indexeddb', 'local'].includes(store)) {
    log(
      `VITE_TOKEN_STORE must be memory, session, indexeddb or local, got ${JSON.stringify(store)}; nothing was started.`,
    );
    process.exit(1);
  }
  return store;
}

async function main() {
  const tokenStore = spaTokenStore();
  log('Building the packages and the demo apps…');
  runNpmScript('build');
  runNpmScript('build:examples');

  await assertPortFree(GATEHOUSE, 'Gatehouse');
  await assertPortFree(API, 'The demo API');
  await assertPortFree(SPA, 'The demo SPA');

  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  // `npm start` answers SIGTERM by killing its `sh -c`, which does not pass the signal on: when
  // this process is orphaned that way, stop as if signalled.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop(0);
  }, 1_000).unref();

  // The demo's own data (tenant, credentials, the API's introspection client), after the build.
  const { DEMO } = await import('@gatehouse/server');
  const internalIssuer = (actor) => `http://${GATEHOUSE.host}:${GATEHOUSE.port}/system/auth/${DEMO.tenantId}-${actor}`;

  // Quieter logs than the defaults, so the banner below stays readable; set them to info to see requests.
  const gatehouse = startService(
    'gatehouse',
    ['packages/server/dist/cli.js', 'start', '--demo', '--host', GATEHOUSE.host, '--port', String(GATEHOUSE.port)],
    {
      env: { GATEHOUSE_LOG_LEVEL: process.env.GATEHOUSE_LOG_LEVEL ?? 'warn' },
    },
  );
  const vite = join(
    dirname(createRequire(join(root, 'examples/spa-demo/package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  const spa = startService('spa', [vite, '--clearScreen', 'false'], { cwd: join(root, 'examples/spa-demo') });
  await waitUntilReady(`http://${GATEHOUSE.host}:${GATEHOUSE.port}/healthz`, gatehouse);
  if (stopping) return;

  // The API asks Gatehouse about every token, so a signed-out session's token is refused at once.
  const introspection = await introspectionWorks(internalIssuer('U'), DEMO.apiClient);
  if (!introspection)
    log(
      'Note: this database has no introspection client for the demo API; it checks tokens locally only. Delete the database to re-seed.',
    );
  const api = startService('api', ['examples/api-demo/dist/server.js'], {
    env: {
      API_DEMO_LOG_LEVEL: process.env.API_DEMO_LOG_LEVEL ?? 'warn',
      ...(introspection
        ? {
            API_DEMO_INTROSPECTION_CLIENT_ID: DEMO.apiClient.clientId,
            API_DEMO_INTROSPECTION_CLIENT_SECRET: DEMO.apiClient.secret,
          }
        : {}),
    },
  });
  await Promise.all([
    waitUntilReady(`http://${API.host}:${API.port}/healthz`, api),
    waitUntilReady(`${SPA.url}/`, spa),
  ]);
  if (stopping) return;

  const database = process.env.GATEHOUSE_DATABASE ?? process.env.GATEHOUSE_DATABASE_URL ?? './data/gatehouse.sqlite';
  log(`
  Gatehouse demo is running.

    Open the demo SPA     ${SPA.url}
    Gatehouse             ${GATEHOUSE.url}  (realms ${DEMO.tenantId}-U for agents, ${DEMO.tenantId}-C for customers)
    Demo API              ${API.url}/v1/answers  (introspection ${introspection ? 'on' : 'off'})
    SPA token store       ${tokenStore}${tokenStore === 'memory' ? '  (VITE_TOKEN_STORE=indexeddb shares one session between tabs; see docs/integrate-spa.md)' : ''}

    Agent sign-in         ${DEMO.agent.username} / ${DEMO.agent.password}
    Customer sign-in      ${DEMO.customer.username} / ${DEMO.customer.password}

    Admin console         ${GATEHOUSE.url}/admin/  (operator sign-in ${DEMO.operator.username} / ${DEMO.operator.password})
    Admin API             ${GATEHOUSE.url}/admin/api/v1  (OpenAPI: ${GATEHOUSE.url}/admin/api/openapi.json)

    Data is kept in ${database}; delete it to start over with fresh demo data.
    Press Ctrl-C to stop all three.
`);
}

main().catch((error) => {
  log(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  stop(1);
});
