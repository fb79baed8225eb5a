import Fastify, { type FastifyInstance } from 'fastify';
import type { GatehouseConfig } from '../config.js';
import type { Clock, Random } from '../protocol/ports.js';
import type { DatabaseHandle } from '../store/database.js';
import { createContext, type AppContext } from '../context.js';
import { errorHandler, sendNotFound } from './error-mapper.js';
import { registerAuthorizeRoute } from './routes/authorize.js';
import { registerConsentRoutes } from './routes/consent.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerLoginRoutes } from './routes/login.js';
import { registerIntrospectionRoute } from './routes/introspect.js';
import { registerLogoutRoute } from './routes/logout.js';
import { registerRevocationRoute } from './routes/revoke.js';
import { registerTokenRoute } from './routes/token.js';
import { registerUserInfoRoute } from './routes/userinfo.js';

export interface BuildAppOptions {
  readonly config: GatehouseConfig;
  readonly database: DatabaseHandle;
  readonly clock?: Clock;
  readonly random?: Random;
  /** pino logger options, or false for none (tests). Default: the configured level. */
  readonly logger?: boolean | Record<string, unknown>;
}

/** Form bodies beyond this are refused: no legitimate OAuth form comes near it. */
const FORM_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the Fastify application: thin routes over the protocol rules and repositories.
 * The database must already be migrated.
 */
export async function buildApp(options: BuildAppOptions): Promise<{ app: FastifyInstance; context: AppContext }> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      // Never log credentials, codes or tokens that travel in headers.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    // URLs come from configuration, never from proxy headers (RFC 8414 issuer integrity); only the
    // client address (sign-in throttling) is read from X-Forwarded-For, and only when it was set
    // by a proxy on the operator's explicit list.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    bodyLimit: FORM_BODY_LIMIT_BYTES,
  });
  const context = await createContext(config, database, { clock: options.clock, random: options.random });

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_request, body, done) => {
      done(null, body);
    },
  );
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendNotFound(request, reply));

  app.get('/healthz', async () => ({ status: 'ok' }));
  registerDiscoveryRoutes(app, context);
  registerAuthorizeRoute(app, context);
  registerLoginRoutes(app, context);
  registerConsentRoutes(app, context);
  registerTokenRoute(app, context);
  registerRevocationRoute(app, context);
  registerIntrospectionRoute(app, context);
  registerUserInfoRoute(app, context);
  registerLogoutRoute(app, context);
  return { app, context };
}
