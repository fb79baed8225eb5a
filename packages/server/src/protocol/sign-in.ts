import type { Realm, User } from './model.js';
import type { Clock } from './ports.js';

/** One counter an attempt is counted under, and the count it may not pass in a window. */
export interface AttemptReservation {
  readonly key: string;
  readonly limit: number;
}

export type ReservationResult =
  /** `counts[i]`: the count under `plan[i]` including this attempt. */
  | { readonly reserved: true; readonly counts: readonly number[] }
  | { readonly reserved: false; readonly retryAfterSeconds: number };

/**
 * Attempt counters shared by every instance (store/login-failures.repository.ts). Each method is
 * one atomic write: a sign-in costs two (reserve, then settle on success), never one per counter.
 */
export interface SignInAttemptStore {
  /**
   * Counts one attempt under every key of `plan`, or under none: when any counter is at its limit
   * within its window, nothing changes and the answer is the seconds until the first such
   * counter's window ends. A window older than `windowSeconds` starts again at one.
   */
  reserve(
    realmId: string,
    plan: readonly AttemptReservation[],
    now: number,
    windowSeconds: number,
  ): Promise<ReservationResult>;
  /** After a successful sign-in: forgets `cleared` and gives one attempt back under each of `released`. */
  settle(realmId: string, cleared: string, released: readonly string[]): Promise<void>;
  get(realmId: string, key: string): Promise<{ failures: number; windowStart: number } | undefined>;
}

/** How many failed sign-ins are let through per window (see docs/security.md, "Sign-in throttling"). */
export interface SignInLimits {
  /** Window the counts are kept in, and the longest wait, in seconds. */
  readonly windowSeconds: number;
  /** One username from one client address: the person's own lock-out. */
  readonly perUsernameAndAddress: number;
  /** One username from all addresses together: bounds guessing spread over many addresses. */
  readonly perUsername: number;
  /** One client address over all usernames: bounds password spraying from one place. */
  readonly perAddress: number;
  /** Failures in the whole realm in one window beyond which the per-address limit is quartered. */
  readonly realmAlertFailures: number;
}

export interface SignInDeps {
  readonly findUser: (username: string) => Promise<User | undefined>;
  readonly verifyPassword: (hash: string, password: string) => Promise<boolean>;
  /** A real argon2id hash of nothing in particular, verified when the user does not exist. */
  readonly dummyPasswordHash: string;
  readonly attempts: SignInAttemptStore;
  readonly clock: Clock;
  readonly limits: SignInLimits;
}

export interface SignInAttempt {
  readonly username: string;
  readonly password: string;
  /** The client's network address, as far as it can be trusted (http/realm.ts `clientAddress`). */
  readonly clientAddress: string;
}

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: 'invalid_credentials' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterSeconds: number };

/** The counter keys one attempt touches, in the order they are reserved. */
export function attemptKeys(username: string, clientAddress: string) {
  const name = username.trim().toLowerCase();
  return {
    address: `address:${clientAddress}`,
    usernameAndAddress: `user-address:${clientAddress}:${name}`,
    username: `user:${name}`,
    realm: 'realm',
  };
}

const UNLIMITED = 2_147_483_647;

/**
 * Checks a username and password. Unknown users, disabled users and wrong passwords give the
 * same answer after the same amount of work (an argon2id verification), so neither the message
 * nor the timing tells whether an account exists.
 *
 * Every attempt is reserved in the database BEFORE the password is checked (NIST SP 800-63B §5.2.2
 * asks for a hard limit on failed attempts; a read-check-write sequence lets concurrent guesses
 * all pass the read, issue 12): so at most the configured number of passwords is ever checked per
 * window, whatever the concurrency. The address-scoped counters come first, so throttled
 * requests from one attacker never count against the username as a whole: one attacker cannot
 * lock a person out of their own address, and needs `perUsername / perUsernameAndAddress`
 * addresses to lock the username everywhere. A successful sign-in gives its reservations back.
 */
export async function signIn(deps: SignInDeps, realm: Realm, attempt: SignInAttempt): Promise<SignInResult> {
  const { limits, attempts } = deps;
  const now = deps.clock.nowSeconds();
  const keys = attemptKeys(attempt.username, attempt.clientAddress);
  const realmCount = await attempts.get(realm.id, keys.realm);
  const underAttack =
    realmCount !== undefined &&
    realmCount.windowStart > now - limits.windowSeconds &&
    realmCount.failures >= limits.realmAlertFailures;
  const plan: AttemptReservation[] = [
    { key: keys.address, limit: underAttack ? Math.max(1, Math.floor(limits.perAddress / 4)) : limits.perAddress },
    { key: keys.usernameAndAddress, limit: limits.perUsernameAndAddress },
    { key: keys.username, limit: limits.perUsername },
    { key: keys.realm, limit: UNLIMITED },
  ];
  const reservation = await attempts.reserve(realm.id, plan, now, limits.windowSeconds);
  if (!reservation.reserved)
    return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };

  const user = await deps.findUser(attempt.username);
  const passwordOk = await deps.verifyPassword(user?.passwordHash ?? deps.dummyPasswordHash, attempt.password);
  if (!user || user.disabled || !passwordOk) return { ok: false, reason: 'invalid_credentials' };

  await attempts.settle(realm.id, keys.usernameAndAddress, [keys.address, keys.username, keys.realm]);
  return { ok: true, user };
}
