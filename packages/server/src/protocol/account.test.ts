import { describe, expect, it } from 'vitest';
import {
  type AccountDeps,
  accountCsrfToken,
  changePassword,
  showAccount,
  signInToAccount,
  signOutEverywhere,
  withdrawConsent,
} from './account.js';
import type { User } from './model.js';
import type { RefreshFamilySelector } from './ports.js';
import { hashOpaqueSecret } from './secrets.js';
import { SEED_CLIENT_ID, SEED_USER, SEED_USER_REALM, seedClient } from './testing/fakes.js';
import { createSignInFlow, fakePasswordHash } from './testing/sign-in-fakes.js';

const realm = SEED_USER_REALM;
const BROWSER = 'b'.repeat(43);

/** Account deps over the sign-in fakes, with Alice (password "correct horse") and her consent to the seed client. */
function account() {
  const flow = createSignInFlow({ clients: [seedClient()], users: [] });
  let alice: User = { ...SEED_USER, passwordHash: fakePasswordHash('correct horse') };
  const consents = new Map<string, string[]>([[`${alice.id}|${SEED_CLIENT_ID}`, ['openid', 'profile']]]);
  const revoked: RefreshFamilySelector[] = [];
  const deps: AccountDeps = {
    ...flow.deps,
    sessions: {
      ...flow.sessions,
      deleteByUser: async (userId) => {
        for (const [id, session] of flow.sessions.records)
          if (session.userId === userId) flow.sessions.records.delete(id);
      },
    },
    users: {
      findById: async (tenantId, id) => (alice.tenantId === tenantId && alice.id === id ? alice : undefined),
      findByUsername: async (_tenantId, _actor, username) => (username === alice.username ? alice : undefined),
      setPasswordHash: async (_tenantId, _id, passwordHash, now) => {
        alice = { ...alice, passwordHash, passwordChangedAt: now };
      },
    },
    consents: {
      listByUser: async (userId) =>
        [...consents]
          .filter(([key]) => key.startsWith(`${userId}|`))
          .map(([key, scopes]) => ({ clientId: key.split('|')[1]!, scopes })),
      revoke: async (userId, clientId) => {
        consents.delete(`${userId}|${clientId}`);
      },
    },
    refreshTokens: {
      revokeFamilies: async (selector) => {
        revoked.push(selector);
        return 1;
      },
    },
    hashPassword: async (password) => fakePasswordHash(password),
    minPasswordLength: 8,
  };
  return { deps, flow, consents, revoked, alice: () => alice };
}

async function signedIn(fake: ReturnType<typeof account>) {
  const outcome = await signInToAccount(fake.deps, {
    realm,
    cookies: { session: undefined, browser: BROWSER },
    csrfToken: accountCsrfToken(BROWSER),
    username: SEED_USER.username,
    password: 'correct horse',
    clientAddress: '192.0.2.1',
  });
  if (outcome.kind !== 'signed_in') throw new Error(outcome.kind);
  const cookies = { session: outcome.sessionCookie, browser: BROWSER };
  return { cookies, csrfToken: accountCsrfToken(outcome.sessionCookie) };
}

describe('account page rules (issue 11)', () => {
  it('without a session asks to sign in, with a CSRF token bound to the browser cookie (a new one if missing)', async () => {
    const { deps } = account();
    expect(await showAccount(deps, { realm, cookies: { session: undefined, browser: BROWSER } })).toEqual({
      kind: 'sign_in',
      csrfToken: accountCsrfToken(BROWSER),
    });
    const fresh = await showAccount(deps, { realm, cookies: { session: undefined, browser: undefined } });
    expect(fresh.kind === 'sign_in' && fresh.browserCookie).toBeTruthy();
    if (fresh.kind === 'sign_in') expect(fresh.csrfToken).toBe(accountCsrfToken(fresh.browserCookie!));
  });

  it('refuses a sign-in whose token was not derived from this browser cookie', async () => {
    const { deps } = account();
    const outcome = await signInToAccount(deps, {
      realm,
      cookies: { session: undefined, browser: BROWSER },
      csrfToken: accountCsrfToken('c'.repeat(43)),
      username: SEED_USER.username,
      password: 'correct horse',
      clientAddress: '192.0.2.1',
    });
    expect(outcome).toEqual({ kind: 'form_expired' });
  });

  it('lists the applications the person allowed', async () => {
    const fake = account();
    const { cookies, csrfToken } = await signedIn(fake);
    const view = await showAccount(fake.deps, { realm, cookies });
    expect(view.kind).toBe('account');
    if (view.kind !== 'account') return;
    expect(view.csrfToken).toBe(csrfToken);
    expect(view.applications.map((app) => [app.client.clientId, app.scopes])).toEqual([
      [SEED_CLIENT_ID, ['openid', 'profile']],
    ]);
  });

  it('withdraws a consent and revokes the refresh tokens of that person for that client only', async () => {
    const fake = account();
    const { cookies, csrfToken } = await signedIn(fake);
    expect(await withdrawConsent(fake.deps, { realm, cookies, csrfToken: 'forged', clientId: SEED_CLIENT_ID })).toEqual(
      {
        kind: 'form_expired',
      },
    );
    expect(fake.consents.size).toBe(1);
    expect(await withdrawConsent(fake.deps, { realm, cookies, csrfToken, clientId: SEED_CLIENT_ID })).toEqual({
      kind: 'withdrawn',
    });
    expect(fake.consents.size).toBe(0);
    expect(fake.revoked).toEqual([{ userId: SEED_USER.id, clientId: SEED_CLIENT_ID }]);
  });

  it('changes the password only with the current one and a non-blank new one, then ends every other session', async () => {
    const fake = account();
    const other = await signedIn(fake);
    const { cookies, csrfToken } = await signedIn(fake);
    const change = (currentPassword: string, newPassword: string) =>
      changePassword(fake.deps, {
        realm,
        cookies,
        csrfToken,
        currentPassword,
        newPassword,
        clientAddress: '192.0.2.1',
      });
    expect(await change('correct horse', '        ')).toEqual({ kind: 'blank_password' });
    expect(await change('correct horse', 'short')).toEqual({ kind: 'short_password' });
    expect(await change('wrong horse', 'battery staple')).toEqual({ kind: 'wrong_password' });
    const changed = await change('correct horse', 'battery staple');
    expect(changed.kind).toBe('changed');
    expect(fake.alice().passwordHash).toBe(fakePasswordHash('battery staple'));
    expect(fake.revoked).toEqual([{ userId: SEED_USER.id }]);
    expect([...fake.flow.sessions.records.keys()]).toEqual(
      changed.kind === 'changed' ? [hashOpaqueSecret(changed.sessionCookie)] : [],
    );
    expect(await showAccount(fake.deps, { realm, cookies: other.cookies })).toMatchObject({ kind: 'sign_in' });
  });

  it('signs out every session of the person, and needs a session to do anything', async () => {
    const fake = account();
    await signedIn(fake);
    const { cookies, csrfToken } = await signedIn(fake);
    expect(fake.flow.sessions.records.size).toBe(2);
    expect(await signOutEverywhere(fake.deps, { realm, cookies, csrfToken })).toEqual({ kind: 'signed_out' });
    expect(fake.flow.sessions.records.size).toBe(0);
    expect(fake.revoked).toEqual([{ userId: SEED_USER.id }]);
    expect(await signOutEverywhere(fake.deps, { realm, cookies, csrfToken })).toEqual({ kind: 'not_signed_in' });
  });
});
