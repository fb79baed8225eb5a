import type { FastifyInstance } from 'fastify';
import type { ClientMetadata } from './admin/clients.js';
import type { GatehouseConfig } from './config.js';
import { buildApp } from './http/app.js';
import { prepareSigningKeys } from './keys/key-encryption.js';
import type { AppContext } from './context.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './store/database.js';
import { purgeExpired } from './store/housekeeping.js';

/** How often expired rows are deleted, in milliseconds. */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly database: DatabaseHandle;
  readonly port: number;
  readonly demo?: { created: boolean; metadata?: ClientMetadata };
  close(): Promise<void>;
}

/** Opens and migrates the database, makes sure every tenant has a signing key, and listens. */
export async function startServer(
  config: GatehouseConfig,
  options: {
    seedDemo?: (ctx: AppContext) => Promise<{ created: boolean; metadata?: ClientMetadata }>;
    logger?: boolean | Record<string, unknown>;
  } = {},
): Promise<RunningServer> {
  let reportConnectionError = (error: Error): void => {
    process.stderr.write(`[gatehouse] PostgreSQL connection lost: ${error.message}\n`);
  };
  const database = openDatabase(config.database, {
    sqliteSynchronous: config.sqliteSynchronous,
    onConnectionError: (error) => reportConnectionError(error),
  });
  await migrateToLatest(database.db);
  const { app, context } = await buildApp({
    config,
    database,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  reportConnectionError = (error) =>
    app.log.warn({ err: error }, 'PostgreSQL connection lost; the pool reconnects on the next query');
  // Refuses to start when the keys are sealed and the KEK is missing or wrong; seals keys still in clear.
  const sealed = await prepareSigningKeys(context.repos.signingKeys, config.keyEncryptionKey);
  if (sealed > 0) app.log.info({ keys: sealed }, 'signing keys encrypted at rest with the key-encryption key');
  const demo = options.seedDemo ? await options.seedDemo(context) : undefined;
  for (const tenant of await context.repos.tenants.list()) await context.keys.ensureKey(tenant.id);
  const housekeeping = setInterval(() => {
    purgeExpired(database.db, context.clock.nowSeconds(), config.loginFailureWindowSeconds).catch((error: unknown) =>
      app.log.error({ err: error }, 'housekeeping failed'),
    );
  }, HOUSEKEEPING_INTERVAL_MS);
  housekeeping.unref();
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    context,
    database,
    port,
    ...(demo ? { demo } : {}),
    close: async () => {
      clearInterval(housekeeping);
      await app.close();
      await database.close();
    },
  };
}
