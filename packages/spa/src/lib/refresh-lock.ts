import type { LockManagerLike } from '../types.js';

/**
 * Runs refreshes one at a time: within this page through a promise chain, and across the tabs of
 * the origin through a named Web Lock when a lock manager is available. Two holders of one
 * rotating refresh token must never both spend it: the second would present a used token and the
 * server would treat it as a replay and revoke the session (OAuth 2.1 §4.3.1).
 */
export function createRefreshLock(locks: LockManagerLike | null, lockName: string) {
  let tail: Promise<unknown> = Promise.resolve();
  return function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
    const run = () => (locks ? locks.request(lockName, task) : task());
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
}
