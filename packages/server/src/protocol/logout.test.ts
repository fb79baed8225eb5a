import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { type LogoutDeps, type LogoutRequest, logout, logoutCsrfToken } from './logout.js';
import type { Client } from './model.js';
import { hashOpaqueSecret } from './secrets.js';
import {
  createRefreshTokenStore,
  createTestClock,
  OTHER_CLIENT_ID,
  refreshTokenRecord,
  SEED_CLIENT_ID,
  SEED_USER,
  SEED_USER_REALM,
  seedClient,
  T0,
} from './testing/fakes.js';
import { createSessionStore } from './testing/sign-in-fakes.js';

const realm = SEED_USER_REALM;
const RETURN = 'https://app.example.com/signed-out';
const COOKIE = 'session-cookie';
const SESSION_HASH = hashOpaqueSecret(COOKIE);

/** Tokens the fake verifier accepts, with their claims; anything else did not come from us. */
const ID_TOKENS: Record<string, JWTPayload> = {
  'hint-alice': { sub: SEED_USER.id, aud: SEED_CLIENT_ID },
  'hint-bob': { sub: 'user-2', aud: SEED_CLIENT_ID },
  'hint-other-client': { sub: SEED_USER.id, aud: OTHER_CLIENT_ID },
};

async function setup(clients: Client[] = [seedClient({ postLogoutRedirectUris: [RETURN] })], signedIn = true) {
  const sessions = createSessionStore();
  if (signedIn)
    await sessions.insert(
      SESSION_HASH,
      { realmId: realm.id, tenantId: realm.tenantId, userId: SEED_USER.id, authTime: T0, expiresAt: T0 + 100 },
      T0,
    );
  const refreshTokens = createRefreshTokenStore(new Map());
  await refreshTokens.insert(refreshTokenRecord('rt-1', { sessionId: SESSION_HASH }));
  const deps: LogoutDeps = {
    verifyJwt: async (tenantId, token, expected) => {
      expect([tenantId, expected]).toEqual([
        realm.tenantId,
        { typ: 'JWT', issuer: realm.issuer, allowExpired: true, algorithms: ['RS256', 'ES256'] },
      ]);
      return ID_TOKENS[token];
    },
    clients: { findById: async (id) => clients.find((client) => client.clientId === id) },
    sessions,
    users: { findById: async (_tenantId, id) => (id === SEED_USER.id ? SEED_USER : undefined) },
    refreshTokens,
    clock: createTestClock(),
  };
  return { deps, sessions, refreshTokens };
}

function request(overrides: Partial<LogoutRequest> = {}): LogoutRequest {
  return {
    realm,
    idTokenHint: undefined,
    clientId: undefined,
    postLogoutRedirectUri: undefined,
    state: undefined,
    sessionCookie: COOKIE,
    ...overrides,
  };
}

describe('logout (OIDC RP-Initiated Logout)', () => {
  it('signs out at once when the id_token_hint names the signed-in person, ends the session and its refresh tokens', async () => {
    const { deps, sessions, refreshTokens } = await setup();
    const outcome = await logout(
      deps,
      request({ idTokenHint: 'hint-alice', postLogoutRedirectUri: RETURN, state: 's 1' }),
    );
    expect(outcome).toEqual({ kind: 'signed_out', sessionEnded: true, location: `${RETURN}?state=s+1` });
    expect(sessions.records.size).toBe(0);
    expect(refreshTokens.revocations).toEqual([{ sessionId: SESSION_HASH }]);
  });

  it('asks the signed-in person to confirm without a hint, carrying the validated return URI', async () => {
    const { deps, sessions } = await setup();
    const outcome = await logout(
      deps,
      request({ clientId: SEED_CLIENT_ID, postLogoutRedirectUri: RETURN, state: 'x' }),
    );
    expect(outcome).toEqual({
      kind: 'confirm',
      user: SEED_USER,
      csrfToken: logoutCsrfToken(COOKIE),
      hidden: { client_id: SEED_CLIENT_ID, post_logout_redirect_uri: RETURN, state: 'x' },
      returnTo: RETURN,
    });
    expect(sessions.records.size).toBe(1);
  });

  it('asks for confirmation when the hint names someone else', async () => {
    const { deps } = await setup();
    expect((await logout(deps, request({ idTokenHint: 'hint-bob' }))).kind).toBe('confirm');
  });

  it('signs out on a confirmation carrying the CSRF token derived from the session cookie', async () => {
    const { deps, sessions } = await setup();
    const confirmation = { confirm: 'yes', csrfToken: logoutCsrfToken(COOKIE) };
    expect(await logout(deps, request({ confirmation }))).toEqual({
      kind: 'signed_out',
      sessionEnded: true,
      location: undefined,
    });
    expect(sessions.records.size).toBe(0);
  });

  it('does not sign out on a confirmation with a wrong or missing CSRF token', async () => {
    const { deps } = await setup();
    for (const csrfToken of ['forged', undefined])
      expect((await logout(deps, request({ confirmation: { confirm: 'yes', csrfToken } }))).kind).toBe('confirm');
    expect(
      (await logout(deps, request({ confirmation: { confirm: undefined, csrfToken: logoutCsrfToken(COOKIE) } }))).kind,
    ).toBe('confirm');
  });

  it('refuses an id_token_hint this server did not issue', async () => {
    const { deps } = await setup();
    expect(await logout(deps, request({ idTokenHint: 'forged' }))).toEqual({
      kind: 'invalid',
      reason: 'unknown_id_token',
    });
  });

  it('refuses a client_id that is not the audience of the id_token_hint', async () => {
    const { deps } = await setup();
    expect(await logout(deps, request({ idTokenHint: 'hint-other-client', clientId: SEED_CLIENT_ID }))).toEqual({
      kind: 'invalid',
      reason: 'id_token_for_other_client',
    });
  });

  it('refuses an unknown client and a client of another tenant', async () => {
    const { deps } = await setup([seedClient({ clientId: OTHER_CLIENT_ID, tenantId: 'OTHER' })]);
    for (const clientId of [SEED_CLIENT_ID, OTHER_CLIENT_ID])
      expect(await logout(deps, request({ clientId }))).toEqual({ kind: 'invalid', reason: 'unknown_client' });
  });

  it('never redirects to an unregistered URI, nor for a disabled client', async () => {
    for (const client of [
      seedClient({ postLogoutRedirectUris: [] }),
      seedClient({ postLogoutRedirectUris: [RETURN], disabled: true }),
    ]) {
      const { deps } = await setup([client]);
      expect(await logout(deps, request({ idTokenHint: 'hint-alice', postLogoutRedirectUri: RETURN }))).toEqual({
        kind: 'signed_out',
        sessionEnded: true,
        location: undefined,
      });
    }
  });

  it('without a session, ends nothing and still returns to a registered URI', async () => {
    const { deps, refreshTokens } = await setup(undefined, false);
    expect(await logout(deps, request({ clientId: SEED_CLIENT_ID, postLogoutRedirectUri: RETURN }))).toEqual({
      kind: 'signed_out',
      sessionEnded: false,
      location: RETURN,
    });
    expect(refreshTokens.revocations).toEqual([]);
  });
});
