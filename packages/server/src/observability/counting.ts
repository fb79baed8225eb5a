import type { RefreshFamilySelector } from '../protocol/ports.js';
import type { Metrics } from './metrics.js';

interface FailureCounter {
  get(realmId: string, key: string): Promise<{ failures: number; windowStart: number } | undefined>;
  recordFailure(realmId: string, key: string, now: number, windowSeconds: number): Promise<void>;
  clear(realmId: string, key: string): Promise<void>;
}

/**
 * The sign-in failure store, counting a lockout when a recorded failure is the one that reaches
 * `maxFailures` (one extra read, on failures only).
 */
export function countingLockouts<T extends FailureCounter>(
  failures: T,
  metrics: Metrics,
  maxFailures: number,
): FailureCounter {
  return {
    get: (realmId, key) => failures.get(realmId, key),
    clear: (realmId, key) => failures.clear(realmId, key),
    async recordFailure(realmId, key, now, windowSeconds) {
      await failures.recordFailure(realmId, key, now, windowSeconds);
      if ((await failures.get(realmId, key))?.failures === maxFailures) metrics.lockout();
    },
  };
}

/**
 * The refresh-token store as the refresh grant sees it, counting a reuse detection each time
 * the grant revokes a family: it does so only when a retired token comes back (RFC 9700
 * §4.14.2). The store's other methods are inherited unchanged.
 */
export function countingReuse<
  T extends { revokeFamilies(selector: RefreshFamilySelector, now: number): Promise<number> },
>(store: T, metrics: Metrics): T {
  const counted = Object.create(store) as T;
  counted.revokeFamilies = (selector, now) => {
    metrics.refreshTokenReuse();
    return store.revokeFamilies(selector, now);
  };
  return counted;
}

/**
 * Counts a sign-in by how the login form's submission ended: refused credentials or a lock-out as
 * such, every signed-in outcome as success; a submission refused before any credential check
 * (unknown request, CSRF) is no sign-in attempt.
 */
export function countSignIn(metrics: Metrics, kind: string): void {
  if (kind === 'pending_refused') return;
  metrics.signIn(kind === 'throttled' || kind === 'invalid_credentials' ? kind : 'success');
}
