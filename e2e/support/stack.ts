import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The whole product as real processes on localhost, on ports of its own so it never collides
 * with a running `npm start`: Gatehouse (built CLI, temporary SQLite database, seeded through the
 * CLI), the demo API, and the demo SPA built for these ports and served by `vite preview`.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'packages/server/dist/cli.js');
export const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
export const VITE = join(
  dirname(createRequire(join(ROOT, 'examples/spa-demo/package.json')).resolve('vite/package.json')),
  'bin/vite.js',
);

export const TENANT = 'TMPRODB88619984';
export const SCOPES = ['core.aiservices.read', 'core.aiservices.write'] as const;
export const CLIENT_NAME = 'Gatehouse Demo SPA';

/** How long a service may take to answer its health check once spawned, in milliseconds. */
const READY_TIMEOUT_MS = 30_000;
/** How long a process may take to exit after SIGTERM before it is killed, in milliseconds. */
const STOP_GRACE_MS = 5_000;

export interface UserSpec {
  readonly username: string;
  readonly actor: 'user' | 'customer';
}

export interface SeededUser extends UserSpec {
  readonly id: string;
  readonly password: string;
  /** `{TENANT}-U` or `{TENANT}-C`. */
  readonly realm: string;
}

/** Settings that differ from the demo's defaults, for suites that need them. */
export interface StackOptions {
  /** Gatehouse's access-token lifetime (`GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS`). Default: the server's, 900. */
  readonly accessTokenTtlSeconds?: number;
  /** The SPA's token store (`VITE_TOKEN_STORE`). Default: the demo's, memory. */
  readonly tokenStore?: 'memory' | 'session' | 'indexeddb' | 'local';
  /** Seconds before expiry at which the SPA refreshes (`VITE_REFRESH_LEEWAY_SECONDS`). Default: the SDK's, 30. */
  readonly refreshLeewaySeconds?: number;
}

export interface ConfidentialClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface Stack {
  readonly gatehouseUrl: string;
  readonly apiUrl: string;
  readonly spaUrl: string;
  readonly clientId: string;
  readonly users: Readonly<Record<string, SeededUser>>;
  /** The confidential client the demo API introspects with; tests may introspect with it too. */
  readonly introspectionClient: ConfidentialClient;
  issuer(realm: string): string;
  /** Runs a `gatehouse` admin command (JSON output) against the running server's database. */
  gatehouse(args: readonly string[]): Promise<unknown>;
  stop(): Promise<void>;
}

export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  output(): string;
}

/** Builds the demo apps, seeds a fresh Gatehouse, and starts the three services. */
export async function startStack(userSpecs: readonly UserSpec[], options: StackOptions = {}): Promise<Stack> {
  for (const built of [CLI, join(ROOT, 'packages/spa/dist/index.js'), join(ROOT, 'packages/resource/dist/index.js')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  const services: Service[] = [];
  try {
    const [gatehousePort, apiPort, spaPort] = await freePorts(3);
    const gatehouseUrl = `http://localhost:${gatehousePort}`;
    const apiUrl = `http://localhost:${apiPort}`;
    const spaUrl = `http://localhost:${spaPort}`;
    const database = join(dir, 'gatehouse.sqlite');
    const spaDist = join(dir, 'spa');
    const clientId = randomUUID();

    // The database is seeded while the API demo is compiled and the SPA built for these ports.
    const seeding = seed(database, clientId, apiUrl, spaUrl, userSpecs);
    const building = withBuildLock(() => run('tsc', [TSC, '-b', 'examples/api-demo', 'examples/spa-demo'])).then(() =>
      run('vite build', [VITE, 'build', '--outDir', spaDist, '--emptyOutDir', '--logLevel', 'warn'], {
        cwd: join(ROOT, 'examples/spa-demo'),
        env: {
          VITE_GATEHOUSE_URL: gatehouseUrl,
          VITE_API_URL: apiUrl,
          VITE_TENANT: TENANT,
          VITE_CLIENT_ID: clientId,
          VITE_TOKEN_STORE: options.tokenStore ?? '',
          VITE_REFRESH_LEEWAY_SECONDS:
            options.refreshLeewaySeconds === undefined ? '' : String(options.refreshLeewaySeconds),
        },
      }),
    );
    const [{ users, introspectionClient }] = await Promise.all([seeding, building]);

    services.push(
      spawnGatehouse(database, gatehousePort!, gatehouseUrl, {
        // Suites run in parallel: no management listener, so none competes for port 9464.
        GATEHOUSE_METRICS_PORT: '0',
        GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS:
          options.accessTokenTtlSeconds === undefined ? '' : String(options.accessTokenTtlSeconds),
      }),
      spawnService('api-demo', [join(ROOT, 'examples/api-demo/dist/server.js')], {
        API_DEMO_PORT: String(apiPort),
        API_DEMO_GATEHOUSE_URL: gatehouseUrl,
        API_DEMO_CORS_ORIGINS: spaUrl,
        API_DEMO_INTROSPECTION_CLIENT_ID: introspectionClient.clientId,
        API_DEMO_INTROSPECTION_CLIENT_SECRET: introspectionClient.clientSecret,
        API_DEMO_LOG_LEVEL: 'warn',
      }),
      spawnService(
        'vite preview',
        [VITE, 'preview', '--outDir', spaDist, '--host', '127.0.0.1', '--port', String(spaPort), '--strictPort'],
        {},
        join(ROOT, 'examples/spa-demo'),
      ),
    );
    await Promise.all([
      waitUntilReady(services[0]!, `http://127.0.0.1:${gatehousePort}/healthz`),
      waitUntilReady(services[1]!, `http://127.0.0.1:${apiPort}/healthz`),
      waitUntilReady(services[2]!, `http://127.0.0.1:${spaPort}/`),
    ]);

    return {
      gatehouseUrl,
      apiUrl,
      spaUrl,
      clientId,
      users,
      introspectionClient,
      issuer: (realm) => `${gatehouseUrl}/system/auth/${realm}`,
      gatehouse: async (args) => JSON.parse(await run('gatehouse', [CLI, ...args, '--database', database, '--json'])),
      stop: () => stopAll(services, dir),
    };
  } catch (error) {
    await stopAll(services, dir);
    throw error;
  }
}

/**
 * Seeds what `start --demo` would, for these ports: the tenant (API domain = this API), its
 * scopes, the SPA client (redirect and post-logout URIs on this SPA port), a confidential client
 * the API introspects with, and the users.
 */
async function seed(
  database: string,
  clientId: string,
  apiUrl: string,
  spaUrl: string,
  userSpecs: readonly UserSpec[],
): Promise<{ users: Record<string, SeededUser>; introspectionClient: { clientId: string; clientSecret: string } }> {
  const gatehouse = async (args: string[], stdin?: string) =>
    JSON.parse(await run('gatehouse', [CLI, ...args, '--database', database, '--json'], { stdin }));
  // Only migrate creates a database file (issue 9: a typo'd --database is an error elsewhere).
  await gatehouse(['migrate']);
  await gatehouse(['tenant', 'create', '--id', TENANT, '--name', 'Demo Tenant', '--api-domain', apiUrl]);
  // After the tenant, the rest in parallel: SQLite serialises the writes (busy timeout), and the
  // password hashing of each user runs in its own process.
  const users: Record<string, SeededUser> = {};
  const createScopesAndClient = async () => {
    await Promise.all([
      gatehouse([
        'scope',
        'create',
        '--tenant',
        TENANT,
        '--name',
        SCOPES[0],
        '--description',
        'Read answers from the AI services',
      ]),
      gatehouse([
        'scope',
        'create',
        '--tenant',
        TENANT,
        '--name',
        SCOPES[1],
        '--description',
        'Create and change content in the AI services',
      ]),
    ]);
    await gatehouse([
      'client',
      'create',
      '--tenant',
      TENANT,
      '--name',
      CLIENT_NAME,
      '--platform',
      'spa',
      '--resource-type',
      'global',
      '--client-id',
      clientId,
      '--redirect-uri',
      `${spaUrl}/callback`,
      '--post-logout-redirect-uri',
      `${spaUrl}/`,
      '--scope',
      SCOPES[0],
      '--scope',
      SCOPES[1],
      '--consent',
      'required',
      // The SPA SDK pins ES256 ID Tokens; Gatehouse's default for a client is RS256.
      '--id-token-alg',
      'ES256',
    ]);
  };
  const createIntrospectionClient = async () => {
    const created = await gatehouse([
      'client',
      'create',
      '--tenant',
      TENANT,
      '--name',
      'Demo API',
      '--platform',
      'web',
      '--resource-type',
      'global',
      '--redirect-uri',
      `${apiUrl}/unused`,
      // It only calls introspection (issue 12: a client without scopes must say so).
      '--no-scopes',
    ]);
    return { clientId: created.client_id as string, clientSecret: created.client_secret as string };
  };
  const createUser = async (spec: UserSpec) => {
    const password = `${spec.username}-e2e-pass`;
    const created = await gatehouse(
      ['user', 'create', '--tenant', TENANT, '--actor', spec.actor, '--username', spec.username, '--password-stdin'],
      password,
    );
    users[spec.username] = {
      ...spec,
      id: created.user.id,
      password,
      realm: `${TENANT}-${spec.actor === 'user' ? 'U' : 'C'}`,
    };
  };
  const [, introspectionClient] = await Promise.all([
    createScopesAndClient(),
    createIntrospectionClient(),
    ...userSpecs.map(createUser),
  ]);
  return { users, introspectionClient };
}

/** How long a suite waits for another suite's build of the demo apps, in milliseconds. */
const BUILD_LOCK_TIMEOUT_MS = 120_000;
const BUILD_LOCK = join(
  tmpdir(),
  `gatehouse-e2e-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`,
);

/**
 * Runs `task` while no other e2e suite of this checkout does: suites may run in parallel, and two
 * `tsc -b` writing the same outputs could leave one of them starting a half-written file. The lock
 * is a directory (mkdir is atomic) holding the holder's pid; one left by a killed run is taken over
 * at once when that process is gone, otherwise after the timeout.
 */
export async function withBuildLock<T>(task: () => Promise<T>): Promise<T> {
  let deadline = Date.now() + BUILD_LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      writeFileSync(join(BUILD_LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline || lockHolderIsGone()) {
        rmSync(BUILD_LOCK, { recursive: true, force: true });
        deadline = Date.now() + BUILD_LOCK_TIMEOUT_MS;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await task();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** True when the lock names a process that no longer runs (a killed run left it behind). */
function lockHolderIsGone(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(BUILD_LOCK, 'pid'), 'utf8'));
  } catch {
    return false; // the holder has not written its pid yet
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs node with `args` to completion; resolves with its stdout, rejects with its output. */
export function run(
  name: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${name} ${args.slice(1).join(' ')} exited with ${code}:\n${stdout}${stderr}`)),
    );
  });
}

/** `gatehouse start` on a database file, on 127.0.0.1:`port`, logging warnings only. */
export function spawnGatehouse(
  database: string,
  port: number,
  publicUrl: string,
  env: Record<string, string> = {},
): Service {
  const args = [
    CLI,
    'start',
    '--database',
    database,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--public-url',
    publicUrl,
  ];
  return spawnService('gatehouse', args, { GATEHOUSE_LOG_LEVEL: 'warn', ...env });
}

export function spawnService(name: string, args: string[], env: Record<string, string>, cwd = ROOT): Service {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, exited, output: () => output };
}

export async function waitUntilReady(service: Service, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (service.child.exitCode === null && service.child.signalCode === null && Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${service.name} did not answer ${url}:\n${service.output()}`);
}

export async function stopAll(services: readonly Service[], dir: string): Promise<void> {
  await Promise.all(
    services.map(async ({ child, exited }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}

/** Ports the OS reports free now; held together so the three differ. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
