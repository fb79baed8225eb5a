import type { GatehouseConfig } from './config.js';
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
  readonly passwords: {
    hash(secret: string): Promise<string>;
    verify(hash: string, secret: string): Promise<boolean>;
  };
  /** argon2id hash verified for unknown users so sign-in timing does not reveal them (made on first use). */
  dummyPasswordHash(): Promise<string>;
}

export async function createContext(
  config: GatehouseConfig,
  database: DatabaseHandle,
  overrides: { clock?: Clock; random?: Random } = {},
): Promise<AppContext> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? systemRandom;
  const repos = createRepositories(database.db);
  let dummyHash: Promise<string> | undefined;
  return {
    config,
    repos,
    keys: new KeyManager(repos.signingKeys, clock, {
      retiredKeyPublishSeconds: config.retiredKeyPublishSeconds,
      activeKeyCacheSeconds: 60,
      ...(config.keyEncryptionKey ? { keyEncryptionKey: config.keyEncryptionKey } : {}),
    }),
    clock,
    random,
    passwords: { hash: hashSecret, verify: verifySecret },
    dummyPasswordHash: () => (dummyHash ??= hashSecret(random.token(16))),
  };
}
