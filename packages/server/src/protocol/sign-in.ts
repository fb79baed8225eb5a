import type { Realm, User } from './model.js';
import type { Clock } from './ports.js';

export interface SignInDeps {
  readonly findUser: (username: string) => Promise<User | undefined>;
  readonly verifyPassword: (hash: string, password: string) => Promise<boolean>;
  /** A real argon2id hash of nothing in particular, verified when the user does not exist. */
  readonly dummyPasswordHash: string;
  readonly failures: {
    get(realmId: string, key: string): Promise<{ failures: number; windowStart: number } | undefined>;
    recordFailure(realmId: string, key: string, now: number, windowSeconds: number): Promise<void>;
    clear(realmId: string, key: string): Promise<void>;
  };
  readonly clock: Clock;
  readonly maxFailures: number;
  readonly failureWindowSeconds: number;
}

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid_credentials' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterSeconds: number };

/**
 * Checks a username and password. Unknown users, disabled users and wrong passwords give the
 * same answer after the same amount of work (an argon2id verification), so neither the message
 * nor the timing tells whether an account exists. After `maxFailures` failures for one username
 * within `failureWindowSeconds`, further attempts are refused until the window ends.
 */
export async function signIn(
  deps: SignInDeps,
  realm: Realm,
  username: string,
  password: string,
): Promise<SignInResult> {
  const now = deps.clock.nowSeconds();
  const key = username.trim().toLowerCase();
  const record = await deps.failures.get(realm.id, key);
  if (record && record.failures >= deps.maxFailures && now < record.windowStart + deps.failureWindowSeconds) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: record.windowStart + deps.failureWindowSeconds - now };
  }
  const user = await deps.findUser(username);
  const passwordOk = await deps.verifyPassword(user?.passwordHash ?? deps.dummyPasswordHash, password);
  if (!user || user.disabled || !passwordOk) {
    await deps.failures.recordFailure(realm.id, key, now, deps.failureWindowSeconds);
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (record) await deps.failures.clear(realm.id, key);
  return { ok: true, user };
}
