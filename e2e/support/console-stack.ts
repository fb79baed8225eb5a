import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLI,
  freePorts,
  ROOT,
  run,
  SCOPES,
  type SeededUser,
  type Service,
  spawnGatehouse,
  spawnService,
  stopAll,
  TENANT,
  TSC,
  VITE,
  waitUntilReady,
  withBuildLock,
} from './stack.js';

/**
 * The product as an operator meets it (issue 9): Gatehouse with the built console at /admin/, a
 * tenant with its scopes and one agent, an operator account, and no SPA client yet. The demo
 * API and the demo SPA start only once the operator has registered the SPA's client in the
 * console, because the SPA is built with that client id.
 */

export interface Operator {
  readonly username: string;
  readonly password: string;
}

export interface ConsoleStack {
  readonly gatehouseUrl: string;
  readonly apiUrl: string;
  readonly spaUrl: string;
  readonly consoleUrl: string;
  readonly operator: Operator;
  readonly agent: SeededUser;
  issuer(realm: string): string;
  /** Builds the demo SPA for `clientId` and starts it with the demo API. */
  startDemoApps(clientId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  for (const built of [CLI, join(ROOT, 'packages/console/dist/index.html'), join(ROOT, 'packages/spa/dist/index.js')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-console-'));
  const services: Service[] = [];
  const stop = () => stopAll(services, dir);
  try {
    const [gatehousePort, apiPort, spaPort] = await freePorts(3);
    const gatehouseUrl = `http://localhost:${gatehousePort}`;
    const apiUrl = `http://localhost:${apiPort}`;
    const spaUrl = `http://localhost:${spaPort}`;
    const database = join(dir, 'gatehouse.sqlite');
    const gatehouse = async (args: string[], stdin?: string) =>
      JSON.parse(await run('gatehouse', [CLI, ...args, '--database', database, '--json'], { stdin }));

    // The demo apps compile while the database is seeded; the SPA is bundled later.
    const compiling = withBuildLock(() => run('tsc', [TSC, '-b', 'examples/api-demo', 'examples/spa-demo']));
    await gatehouse(['migrate']);
    await gatehouse(['tenant', 'create', '--id', TENANT, '--name', 'Demo Tenant', '--api-domain', apiUrl]);
    const operator = { username: 'olivia', password: 'olivia-operator-pass' };
    const agentPassword = 'agent-e2e-pass';
    // The tenant's scopes, which the SPA client registered in the console will hold.
    await Promise.all([
      gatehouse(['scope', 'create', '--tenant', TENANT, '--name', SCOPES[0], '--description', 'Read answers']),
      gatehouse(['scope', 'create', '--tenant', TENANT, '--name', SCOPES[1], '--description', 'Create answers']),
    ]);
    // The operator alone: creating the first administrator also sets up the GATEHOUSE tenant and
    // its signing key, more writes than SQLite's busy timeout should have to wait behind.
    await gatehouse(
      ['admin', 'create', '--username', operator.username, '--role', 'operator', '--password-stdin'],
      operator.password,
    );
    const [introspection, agent] = await Promise.all([
      gatehouse([
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
        '--no-scopes',
      ]),
      gatehouse(
        ['user', 'create', '--tenant', TENANT, '--actor', 'user', '--username', 'agent', '--password-stdin'],
        agentPassword,
      ),
    ]);
    await compiling;

    services.push(spawnGatehouse(database, gatehousePort!, gatehouseUrl));
    await waitUntilReady(services[0]!, `http://127.0.0.1:${gatehousePort}/healthz`);

    const startDemoApps = async (clientId: string) => {
      const spaDist = join(dir, 'spa');
      await run('vite build', [VITE, 'build', '--outDir', spaDist, '--emptyOutDir', '--logLevel', 'warn'], {
        cwd: join(ROOT, 'examples/spa-demo'),
        env: {
          VITE_GATEHOUSE_URL: gatehouseUrl,
          VITE_API_URL: apiUrl,
          VITE_TENANT: TENANT,
          VITE_CLIENT_ID: clientId,
          VITE_TOKEN_STORE: '',
          VITE_REFRESH_LEEWAY_SECONDS: '',
        },
      });
      const api = spawnService('api-demo', [join(ROOT, 'examples/api-demo/dist/server.js')], {
        API_DEMO_PORT: String(apiPort),
        API_DEMO_GATEHOUSE_URL: gatehouseUrl,
        API_DEMO_CORS_ORIGINS: spaUrl,
        API_DEMO_INTROSPECTION_CLIENT_ID: introspection.client_id as string,
        API_DEMO_INTROSPECTION_CLIENT_SECRET: introspection.client_secret as string,
        API_DEMO_LOG_LEVEL: 'warn',
      });
      const spa = spawnService(
        'vite preview',
        [VITE, 'preview', '--outDir', spaDist, '--host', '127.0.0.1', '--port', String(spaPort), '--strictPort'],
        {},
        join(ROOT, 'examples/spa-demo'),
      );
      services.push(api, spa);
      await Promise.all([
        waitUntilReady(api, `http://127.0.0.1:${apiPort}/healthz`),
        waitUntilReady(spa, `http://127.0.0.1:${spaPort}/`),
      ]);
    };

    return {
      gatehouseUrl,
      apiUrl,
      spaUrl,
      consoleUrl: `${gatehouseUrl}/admin/`,
      operator,
      agent: {
        username: 'agent',
        actor: 'user',
        id: agent.user.id as string,
        password: agentPassword,
        realm: `${TENANT}-U`,
      },
      issuer: (realm) => `${gatehouseUrl}/system/auth/${realm}`,
      startDemoApps,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
