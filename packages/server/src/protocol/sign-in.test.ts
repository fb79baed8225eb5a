import { beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from '../lib/passwords.js';
import type { Realm, User } from './model.js';
import { attemptKeys, signIn, type SignInDeps } from './sign-in.js';
import { createTestClock, SEED_TENANT, T0, testRealm } from './testing/fakes.js';
import { createLoginFailureStore } from './testing/sign-in-fakes.js';

const MAX_FAILURES = 3;
const WINDOW_SECONDS = 300;

const USER_REALM = testRealm(SEED_TENANT.id, 'user');
const CUSTOMER_REALM = testRealm(SEED_TENANT.id, 'customer');

const ALICE_PASSWORD = 'alice-correct-password';
const BOB_PASSWORD = 'bob-correct-password';

let alice: User;
let bob: User;
let dummyPasswordHash: string;

beforeAll(async () => {
  const [aliceHash, bobHash, dummyHash] = await Promise.all([
    hashSecret(ALICE_PASSWORD),
    hashSecret(BOB_PASSWORD),
    hashSecret('dummy-password-nobody-has'),
  ]);
  alice = {
    id: 'user-alice',
    tenantId: 'TMPRODB88619984',
    actor: 'user',
    username: 'alice',
    email: 'alice@example.com',
    passwordHash: aliceHash,
    disabled: false,
    passwordChangedAt: 1_750_000_000,
  };
  bob = {
    id: 'user-bob',
    tenantId: 'TMPRODB88619984',
    actor: 'user',
    username: 'bob',
    email: null,
    passwordHash: bobHash,
    disabled: true,
    passwordChangedAt: 1_750_000_000,
  };
  dummyPasswordHash = dummyHash;
});

const ADDRESS = '192.0.2.10';
const OTHER_ADDRESS = '198.51.100.7';
const keysOf = (username: string, address = ADDRESS) => attemptKeys(username, address);

function setup(limits: Partial<SignInDeps['limits']> = {}) {
  const clock = createTestClock();
  const failures = createLoginFailureStore();
  const verifiedHashes: string[] = [];
  const lookedUp: string[] = [];
  const deps: SignInDeps = {
    findUser: async (username) => {
      lookedUp.push(username);
      return [alice, bob].find((user) => user.username === username);
    },
    verifyPassword: async (hash, password) => {
      verifiedHashes.push(hash);
      return verifySecret(hash, password);
    },
    dummyPasswordHash,
    attempts: failures,
    clock,
    limits: {
      windowSeconds: WINDOW_SECONDS,
      perUsernameAndAddress: MAX_FAILURES,
      perUsername: 100,
      perAddress: 20,
      realmAlertFailures: 1000,
      ...limits,
    },
  };
  const attempt = (username: string, password: string, realm: Realm = USER_REALM, clientAddress = ADDRESS) =>
    signIn(deps, realm, { username, password, clientAddress });
  return { clock, failures, verifiedHashes, lookedUp, attempt };
}

describe('signIn', () => {
  it('signs in a known, enabled user with the right password', async () => {
    const { attempt } = setup();
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: true, user: alice });
  });

  it('answers an unknown user exactly as it answers a wrong password', async () => {
    const { attempt } = setup();
    const unknownUser = await attempt('mallory', ALICE_PASSWORD);
    const wrongPassword = await attempt('alice', 'not-the-password');
    expect(unknownUser).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(wrongPassword).toEqual(unknownUser);
  });

  it('verifies the dummy argon2 hash for an unknown user so the work done is the same', async () => {
    const { attempt, verifiedHashes } = setup();
    await attempt('mallory', 'whatever-password');
    await attempt('alice', 'not-the-password');
    expect(verifiedHashes).toEqual([dummyPasswordHash, alice.passwordHash]);
  });

  it('refuses a disabled user with the right password, with the same answer as a wrong password', async () => {
    const { attempt, failures } = setup();
    expect(await attempt('bob', BOB_PASSWORD)).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(failures.peek(USER_REALM.id, keysOf('bob').usernameAndAddress)).toEqual({ failures: 1, windowStart: T0 });
  });

  it('counts failures per realm under the trimmed, lower-cased username', async () => {
    const { attempt, failures } = setup();
    await attempt(' Alice ', 'wrong-1');
    await attempt('ALICE', 'wrong-2');
    expect(failures.peek(USER_REALM.id, keysOf('alice').usernameAndAddress)).toEqual({ failures: 2, windowStart: T0 });
    expect(failures.peek(CUSTOMER_REALM.id, keysOf('alice').usernameAndAddress)).toBeUndefined();
  });

  it(`throttles a username after ${MAX_FAILURES} failures, even with the right password, until the window ends`, async () => {
    const { attempt, clock } = setup();
    for (const offset of [0, 10, 20]) {
      clock.now = T0 + offset;
      expect(await attempt('alice', `wrong-${offset}`)).toEqual({ ok: false, reason: 'invalid_credentials' });
    }
    clock.now = T0 + 30;
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 270 });
    clock.now = T0 + WINDOW_SECONDS - 1;
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    clock.now = T0 + WINDOW_SECONDS;
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: true, user: alice });
  });

  it('does not look up the user, verify a password or count a failure while throttled', async () => {
    const { attempt, clock, failures, verifiedHashes, lookedUp } = setup();
    for (let i = 0; i < MAX_FAILURES; i += 1) await attempt('alice', `wrong-${i}`);
    verifiedHashes.length = 0;
    lookedUp.length = 0;
    clock.now = T0 + 100;
    expect(await attempt('alice', 'wrong-again')).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 200 });
    expect(verifiedHashes).toEqual([]);
    expect(lookedUp).toEqual([]);
    expect(failures.peek(USER_REALM.id, keysOf('alice').usernameAndAddress)).toEqual({
      failures: MAX_FAILURES,
      windowStart: T0,
    });
  });

  it('throttles unknown usernames too, so throttling does not reveal which accounts exist', async () => {
    const { attempt } = setup();
    for (let i = 0; i < MAX_FAILURES; i += 1) await attempt('mallory', `guess-${i}`);
    expect(await attempt('mallory', 'guess-again')).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterSeconds: WINDOW_SECONDS,
    });
  });

  it('throttles only the attacked username in the attacked realm', async () => {
    const { attempt } = setup();
    for (let i = 0; i < MAX_FAILURES; i += 1) await attempt('alice', `wrong-${i}`);
    expect(await attempt('mallory', 'guess')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await attempt('alice', 'wrong-in-other-realm', CUSTOMER_REALM)).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
  });

  it('forgets failures older than the window: a failure after it starts a new count at one', async () => {
    const { attempt, clock, failures } = setup();
    await attempt('alice', 'wrong-1');
    await attempt('alice', 'wrong-2');
    clock.now = T0 + WINDOW_SECONDS;
    await attempt('alice', 'wrong-3');
    expect(failures.peek(USER_REALM.id, keysOf('alice').usernameAndAddress)).toEqual({
      failures: 1,
      windowStart: T0 + WINDOW_SECONDS,
    });
    clock.now = T0 + WINDOW_SECONDS + 1;
    await attempt('alice', 'wrong-4');
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: true, user: alice });
  });

  it('clears the failure count after a successful sign-in', async () => {
    const { attempt, failures } = setup();
    await attempt('alice', 'wrong-1');
    await attempt('alice', 'wrong-2');
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: true, user: alice });
    expect(failures.peek(USER_REALM.id, keysOf('alice').usernameAndAddress)).toBeUndefined();
    await attempt('alice', 'wrong-3');
    await attempt('alice', 'wrong-4');
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: true, user: alice });
  });
  it('reserves before checking: of 20 concurrent guesses only the allowed number check a password (issue 12)', async () => {
    const { attempt, verifiedHashes } = setup();
    const guesses = Array.from({ length: 20 }, (_, i) => (i === 15 ? ALICE_PASSWORD : `wrong-${i}`));
    const results = await Promise.all(guesses.map((password) => attempt('alice', password)));
    expect(verifiedHashes).toHaveLength(MAX_FAILURES);
    expect(results.filter((r) => r.ok === false && r.reason === 'throttled')).toHaveLength(20 - MAX_FAILURES);
    expect(results[15]).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: WINDOW_SECONDS });
  });

  it('keys the lock-out by address: guesses from one address do not lock the person out of another', async () => {
    const { attempt } = setup();
    for (let i = 0; i < MAX_FAILURES + 3; i += 1) await attempt('alice', `wrong-${i}`, USER_REALM, OTHER_ADDRESS);
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: true, user: alice });
  });

  it('limits one address over all usernames (password spraying), without counting its throttled requests', async () => {
    const { attempt, failures, verifiedHashes } = setup({ perAddress: 4 });
    const results = [];
    for (let i = 0; i < 10; i += 1) results.push(await attempt(`user-${i}`, 'Summer2026!'));
    expect(verifiedHashes).toHaveLength(4);
    expect(results.slice(4).every((r) => r.ok === false && r.reason === 'throttled')).toBe(true);
    expect(failures.peek(USER_REALM.id, keysOf('user-9').username)).toBeUndefined();
    expect(await attempt('alice', ALICE_PASSWORD, USER_REALM, OTHER_ADDRESS)).toEqual({ ok: true, user: alice });
  });

  it('limits one username over all addresses once enough addresses have guessed', async () => {
    const { attempt } = setup({ perUsername: 6 });
    for (let i = 0; i < 6; i += 1) await attempt('alice', `wrong-${i}`, USER_REALM, `203.0.113.${i}`);
    expect(await attempt('alice', ALICE_PASSWORD)).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('quarters the per-address limit while the realm as a whole sees more failures than its alert level', async () => {
    const { attempt, verifiedHashes } = setup({ perAddress: 8, realmAlertFailures: 3 });
    for (let i = 0; i < 3; i += 1) await attempt(`spray-${i}`, 'guess', USER_REALM, `203.0.113.${i}`);
    verifiedHashes.length = 0;
    for (let i = 0; i < 5; i += 1) await attempt(`other-${i}`, 'guess', USER_REALM, OTHER_ADDRESS);
    expect(verifiedHashes).toHaveLength(2);
  });

  it('gives back the address and username reservations of a successful sign-in', async () => {
    const { attempt, failures } = setup();
    await attempt('alice', 'wrong-1');
    expect(await attempt('alice', ALICE_PASSWORD)).toEqual({ ok: true, user: alice });
    expect(failures.peek(USER_REALM.id, keysOf('alice').address)?.failures).toBe(1);
    expect(failures.peek(USER_REALM.id, keysOf('alice').username)?.failures).toBe(1);
    expect(failures.peek(USER_REALM.id, keysOf('alice').realm)?.failures).toBe(1);
  });
});
