import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ClientMetadata } from './admin/clients.js';
import { ensureSystemTenant } from './admin/system-tenant.js';
import type { GatehouseConfig } from './config.js';
import { buildApp } from './http/app.js';
import type { AppContext } from './context.js';
import { markDraining } from './observability/health.js';
import { startManagementServer, stopManagementServer } from './observability/management-server.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { KeyEncryptionError, prepareSigningKeys } from './keys/key-encryption.js';
import { databaseStartupError, listenStartupError, StartupError } from './startup-errors.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './store/database.js';
import { purgeExpired } from './store/housekeeping.js';

/** How often expired rows are deleted, in milliseconds. */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly database: DatabaseHandle;
  readonly port: number;
  readonly metrics: Metrics;
  /** The management listener's port (GET /metrics), or undefined when metrics are off. */
  readonly metricsPort?: number;
  readonly demo?: { created: boolean; metadata?: ClientMetadata };
  /**
   * Graceful stop: /readyz turns 503, no new connections are accepted, requests in flight are
   * answered (waiting at most `shutdownTimeoutSeconds`), then the database is closed and one
   * line is logged. Safe to call more than once.
   */
  close(reason?: string): Promise<void>;
}

export interface StartServerOptions {
  readonly seedDemo?: (ctx: AppContext) => Promise<{ created: boolean; metadata?: ClientMetadata }>;
  readonly logger?: false | { readonly level?: string; readonly stream?: NodeJS.WritableStream };
}

/**
 * Opens and migrates the database, makes sure every tenant has a signing key, and listens on the
 * public port and (unless `metricsPort` is 0) the management port. Failures a person can fix
 * are thrown as StartupError with one plain line.
 */
export async function startServer(config: GatehouseConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const metrics = createMetrics({ processMetrics: true });
  let database: DatabaseHandle;
  // Connections PostgreSQL cuts (restart, failover) are reported, never fatal (issue 12, found 8).
  let reportConnectionError = (error: Error): void => {
    process.stderr.write(`[gatehouse] PostgreSQL connection lost: ${error.message}\n`);
  };
  try {
    database = openDatabase(config.database, {
      sqliteSynchronous: config.sqliteSynchronous,
      onQuery: (sql, seconds) => metrics.observeQuery(sql, seconds),
      onCommitBatch: (size) => metrics.observeCommitBatch(size),
      onConnectionError: (error) => reportConnectionError(error),
    });
  } catch (error) {
    throw databaseStartupError(error, config);
  }
  let management: Server | undefined;
  let app: FastifyInstance | undefined;
  try {
    try {
      // Nothing else runs meanwhile: the writer thread's start-up and the heap limits (lib/heap-limits.ts).
      await database.ready;
      await migrateToLatest(database.db);
    } catch (error) {
      throw databaseStartupError((error as { cause?: unknown }).cause ?? error, config);
    }
    const built = await buildApp({
      config,
      database,
      metrics,
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    app = built.app;
    const { context } = built;
    const log = built.app.log;
    reportConnectionError = (error) =>
      log.warn({ err: error }, 'PostgreSQL connection lost; the pool reconnects on the next query');
    // Refuses to start when the keys are sealed and the KEK is missing or wrong; seals keys still in clear.
    try {
      const sealed = await prepareSigningKeys(context.repos.signingKeys, config.keyEncryptionKey);
      if (sealed > 0) log.info({ keys: sealed }, 'signing keys encrypted at rest with the key-encryption key');
    } catch (error) {
      if (error instanceof KeyEncryptionError) throw new StartupError(`refusing to start: ${error.message}`);
      throw error;
    }
    const demo = options.seedDemo ? await options.seedDemo(context) : undefined;
    await ensureSystemTenant(context);
    for (const tenant of await context.repos.tenants.list()) await context.keys.ensureKey(tenant.id);
    if (config.metricsPort !== 0) {
      try {
        management = await startManagementServer(metrics, config.host, config.metricsPort);
      } catch (error) {
        throw listenStartupError(error, config.host, config.metricsPort, 'metricsPort');
      }
    }
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      throw listenStartupError(error, config.host, config.port, 'port');
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const housekeeping = setInterval(() => {
      purgeExpired(database.db, context.clock.nowSeconds(), config.loginFailureWindowSeconds).catch((error: unknown) =>
        app?.log.error({ err: error }, 'housekeeping failed'),
      );
    }, HOUSEKEEPING_INTERVAL_MS);
    housekeeping.unref();
    const managementAddress = management?.address();
    const stop = shutdownOnce(app, database, management, config.shutdownTimeoutSeconds, () =>
      clearInterval(housekeeping),
    );
    return {
      app,
      context,
      database,
      port,
      metrics,
      ...(typeof managementAddress === 'object' && managementAddress ? { metricsPort: managementAddress.port } : {}),
      ...(demo ? { demo } : {}),
      close: stop,
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (management) await stopManagementServer(management);
    await database.close().catch(() => undefined);
    throw error;
  }
}

function shutdownOnce(
  app: FastifyInstance,
  database: DatabaseHandle,
  management: Server | undefined,
  timeoutSeconds: number,
  stopTimers: () => void,
): (reason?: string) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (reason = 'close') =>
    (stopping ??= (async () => {
      const started = performance.now();
      stopTimers();
      markDraining(app);
      // Fastify stops accepting connections, closes idle keep-alive ones, answers 503 to requests
      // arriving on busy ones, and resolves once the requests in flight have been answered.
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          resolve();
        }, timeoutSeconds * 1000);
      });
      const closing = app.close();
      await Promise.race([closing, deadline]);
      clearTimeout(timer);
      if (timedOut) {
        app.server.closeAllConnections();
        await closing;
      }
      if (management) await stopManagementServer(management);
      await database.close();
      app.log.info(
        { reason, durationMs: Math.round(performance.now() - started), timedOut },
        timedOut
          ? `Gatehouse stopped (${reason}): requests still running after ${timeoutSeconds}s were cut off`
          : `Gatehouse stopped (${reason}): requests in flight answered, database closed`,
      );
    })());
}
