import { DEMO, seedDemo } from '../admin/demo.js';
import type { GatehouseConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import { finishHeapStartup } from '../lib/heap-limits.js';
import { StartupError } from '../startup-errors.js';
import { formatMetadata } from './client-commands.js';
import type { FlagSpec } from './spec.js';

export const START_FLAGS: Readonly<Record<string, FlagSpec>> = {
  port: { type: 'string', description: 'TCP port (or GATEHOUSE_PORT)', default: '8080' },
  host: { type: 'string', description: 'address to listen on (or GATEHOUSE_HOST)', default: '127.0.0.1' },
  'metrics-port': {
    type: 'string',
    description: 'management port for GET /metrics, same host; 0 turns it off (or GATEHOUSE_METRICS_PORT)',
    default: '9464',
  },
  'shutdown-timeout': {
    type: 'string',
    description: 'seconds to wait for requests in flight on SIGTERM/SIGINT (or GATEHOUSE_SHUTDOWN_TIMEOUT_SECONDS)',
    default: '10',
  },
  'trust-proxy': {
    type: 'string',
    description:
      'proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For gives the client address for sign-in throttling (or GATEHOUSE_TRUST_PROXY)',
    default: 'none',
  },
  demo: {
    type: 'boolean',
    description: 'on an empty database, create the demo tenant, clients, people and console operator',
  },
};

/** `gatehouse start`: serves until SIGINT or SIGTERM; prints where, and the demo's credentials. */
export async function start(config: GatehouseConfig, demo: boolean, json: boolean): Promise<number> {
  // Loaded here so admin commands never load the web layer (Fastify).
  const { startServer } = await import('../server.js');
  let server: RunningServer;
  try {
    server = await startServer(config, { ...(demo ? { seedDemo } : {}) });
    finishHeapStartup();
  } catch (error) {
    // Port in use, database unreachable or missing: one plain line, exit 1 (issue 10).
    if (!(error instanceof StartupError)) throw error;
    process.stderr.write(json ? `${JSON.stringify({ error: error.message })}\n` : `gatehouse: ${error.message}\n`);
    return 1;
  }
  const consoleUrl = `${config.publicUrl}/admin/`;
  const lines = [
    `Gatehouse listening on http://${config.host}:${server.port} (public URL ${config.publicUrl})`,
    `database: ${server.database.dialect}`,
    server.metricsPort === undefined ? 'metrics: off' : `metrics: http://${config.host}:${server.metricsPort}/metrics`,
    `admin console: ${consoleUrl}  (admin API: ${config.publicUrl}/admin/api/v1, OpenAPI: ${config.publicUrl}/admin/api/openapi.json)`,
  ];
  if (demo) {
    lines.push(
      `  console operator (realm GATEHOUSE-U): username ${DEMO.operator.username}  password ${DEMO.operator.password}  (demo only)`,
    );
  } else if ((await server.context.repos.administrators.count()) === 0) {
    lines.push('  no administrator yet: gatehouse admin create --username NAME --role operator --password-stdin');
  }
  if (server.demo?.created && server.demo.metadata) {
    lines.push(
      '',
      'Demo data created:',
      formatMetadata(server.demo.metadata),
      `  agent (realm ${DEMO.tenantId}-U):    username ${DEMO.agent.username}  password ${DEMO.agent.password}`,
      `  customer (realm ${DEMO.tenantId}-C): username ${DEMO.customer.username}  password ${DEMO.customer.password}`,
      `  demo API introspection client: ${DEMO.apiClient.clientId} (secret ${DEMO.apiClient.secret}; demo only)`,
    );
  }
  process.stdout.write(
    json
      ? `${JSON.stringify({
          listening: `http://${config.host}:${server.port}`,
          public_url: config.publicUrl,
          console_url: consoleUrl,
          demo: server.demo ?? null,
          ...(demo ? { operator: DEMO.operator } : {}),
        })}\n`
      : `${lines.join('\n')}\n`,
  );
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      void server.close(signal).then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
