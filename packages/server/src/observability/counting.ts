import type { RefreshFamilySelector } from '../protocol/ports.js';
import { attemptKeys, type SignInAttemptStore } from '../protocol/sign-in.js';
import type { Metrics } from './metrics.js';

const USERNAME_AND_ADDRESS_PREFIX = attemptKeys('', '').usernameAndAddress.split(':')[0]!;

/**
 * The sign-in attempt store (protocol/sign-in.ts), counting a lockout when a reservation under one
 * username from one address is the one that reaches its limit.
 */
export function countingLockouts(attempts: SignInAttemptStore, metrics: Metrics): SignInAttemptStore {
  return {
    get: (realmId, key) => attempts.get(realmId, key),
    settle: (realmId, cleared, released) => attempts.settle(realmId, cleared, released),
    async reserve(realmId, plan, now, windowSeconds) {
      const result = await attempts.reserve(realmId, plan, now, windowSeconds);
      if (result.reserved) {
        const i = plan.findIndex(({ key }) => key.startsWith(USERNAME_AND_ADDRESS_PREFIX));
        if (i >= 0 && result.counts[i] === plan[i]!.limit) metrics.lockout();
      }
      return result;
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
