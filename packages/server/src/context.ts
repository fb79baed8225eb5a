import { AuditLog } from './admin/audit.js';
import { SecurityEvents } from './admin/security-events.js';
import type { GatehouseConfig } from './config.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { KeyManager } from './keys/key-manager.js';
import { hashSecret, verifySecret } from './lib/passwords.js';
import { systemClock, systemRandom } from './lib/random.js';
import type { Clock, Random } from './protocol/ports.js';
import type { DatabaseHandle } from './store/database.js';
import { createRepositories, type Repositories } from './store/repositories.js';

/** Everything routes and admin commands need, built once per process. */
export interface AppContext {
  readonly config: GatehouseConfig;
  readonly repos: Repositories;
  readonly keys: KeyManager;
  readonly clock: Clock;
  readonly random: Random;
  /** Where routes count protocol events (tokens issued, sign-ins, lockouts, reuse, revocations). */
  readonly metrics: Metrics;
  readonly passwords: {
    hash(secret: string): Promise<string>;
    verify(hash: string, secret: string): Promise<boolean>;
  };
  /** argon2id hash verified for unknown users so sign-in timing does not reveal them (made on first use). */
  dummyPasswordHash(): Promise<string>;
  /** The audit trail (admin changes and security events). */
  readonly audit: AuditLog;
  /** Security events (sign-in, consent, logout, refresh-token reuse) for the audit trail. */
  readonly securityEvents: SecurityEvents;
  /** Runs `work` in one database transaction, with repositories bound to it. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
}

export async function createContext(
  config: GatehouseConfig,
  database: DatabaseHandle,
  overrides: { clock?: Clock; random?: Random; metrics?: Metrics } = {},
): Promise<AppContext> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? systemRandom;
  const repos = createRepositories(database.db);
  let dummyHash: Promise<string> | undefined;
  const audit = new AuditLog(repos, clock, random);
  return {
    config,
    repos,
    keys: new KeyManager(repos.signingKeys, clock, {
      retiredKeyPublishSeconds: config.retiredKeyPublishSeconds,
      activeKeyCacheSeconds: 60,
      changes: database.changes,
      ...(config.keyEncryptionKey ? { keyEncryptionKey: config.keyEncryptionKey } : {}),
    }),
    clock,
    random,
    metrics: overrides.metrics ?? createMetrics(),
    passwords: { hash: hashSecret, verify: verifySecret },
    dummyPasswordHash: () => (dummyHash ??= hashSecret(random.token(16))),
    audit,
    securityEvents: new SecurityEvents(audit),
    transaction: (work) => database.db.transaction().execute((trx) => work(createRepositories(trx))),
  };
}
