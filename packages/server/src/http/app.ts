import Fastify, { type FastifyInstance } from 'fastify';
import type { GatehouseConfig } from '../config.js';
import { loggingOptions } from '../observability/logging.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { registerObservability } from '../observability/register.js';
import type { Clock, Random } from '../protocol/ports.js';
import type { DatabaseHandle } from '../store/database.js';
import { createContext, type AppContext } from '../context.js';
import { registerAdminApi } from './admin/index.js';
import { errorHandler, sendNotFound } from './error-mapper.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerAuthorizeRoute } from './routes/authorize.js';
import { registerConsentRoutes } from './routes/consent.js';
import { registerConsoleRoutes } from './routes/console.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerLoginRoutes } from './routes/login.js';
import { registerIntrospectionRoute } from './routes/introspect.js';
import { registerLogoutRoute } from './routes/logout.js';
import { registerRevocationRoute } from './routes/revoke.js';
import { registerRootRoutes } from './routes/root.js';
import { registerTokenRoute } from './routes/token.js';
import { registerUserInfoRoute } from './routes/userinfo.js';

export interface BuildAppOptions {
  readonly config: GatehouseConfig;
  readonly database: DatabaseHandle;
  readonly clock?: Clock;
  readonly random?: Random;
  /**
   * false for no logs (tests), or where the logs go and at which level (default: stdout at the
   * configured level). Redaction and request ids apply either way (observability/logging.ts).
   */
  readonly logger?: false | { readonly level?: string; readonly stream?: NodeJS.WritableStream };
  /** The metrics to count into. Default: a fresh set nobody scrapes. */
  readonly metrics?: Metrics;
}

/** Form bodies beyond this are refused: no legitimate OAuth form comes near it. */
const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the Fastify application: thin routes over the protocol rules and repositories.
 * The database must already be migrated.
 */
export async function buildApp(options: BuildAppOptions): Promise<{ app: FastifyInstance; context: AppContext }> {
  const { config, database } = options;
  const logging = loggingOptions(
    options.logger ? (options.logger.level ?? config.logLevel) : config.logLevel,
    options.logger ? options.logger.stream : undefined,
  );
  const app = Fastify({
    ...logging,
    ...(options.logger === false ? { logger: false } : {}),
    // URLs come from configuration, never from proxy headers (RFC 8414 issuer integrity); only the
    // client address (sign-in throttling) is read from X-Forwarded-For, and only when it was set
    // by a proxy on the operator's explicit list.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    bodyLimit: FORM_BODY_LIMIT_BYTES,
  });
  const metrics = options.metrics ?? createMetrics();
  const context = await createContext(config, database, { clock: options.clock, random: options.random, metrics });
  context.audit.attachLogger(app.log.child({ component: 'audit' }));

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_request, body, done) => {
      done(null, body);
    },
  );
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendNotFound(request, reply));

  registerObservability(app, metrics, database.db);
  registerDiscoveryRoutes(app, context);
  registerAuthorizeRoute(app, context);
  registerLoginRoutes(app, context);
  registerConsentRoutes(app, context);
  registerTokenRoute(app, context);
  registerRevocationRoute(app, context);
  registerIntrospectionRoute(app, context);
  registerUserInfoRoute(app, context);
  registerLogoutRoute(app, context);
  registerAccountRoutes(app, context);
  registerRootRoutes(app);
  await registerAdminApi(app, context);
  registerConsoleRoutes(app, { publicUrl: config.publicUrl });
  return { app, context };
}
