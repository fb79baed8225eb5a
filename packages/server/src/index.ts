export { buildApp, type BuildAppOptions } from './http/app.js';
export { createContext, type AppContext } from './context.js';
export { startServer, type RunningServer } from './server.js';
export { loadConfig, DEFAULT_CONFIG, ConfigError, type GatehouseConfig } from './config.js';
export {
  openDatabase,
  migrateToLatest,
  createPostgresSchema,
  dropPostgresSchema,
  type DatabaseHandle,
} from './store/database.js';
export { seedDemo, DEMO } from './admin/demo.js';
export { createTenant, createScope } from './admin/tenants.js';
export { createClient, getClientMetadata, type ClientMetadata } from './admin/clients.js';
export { createUser } from './admin/users.js';
export { rotateKeys } from './admin/keys.js';
export { createMetrics, type Metrics, type SignInOutcome } from './observability/metrics.js';
export { checkReadiness, type Readiness } from './observability/health.js';
export { StartupError } from './startup-errors.js';
