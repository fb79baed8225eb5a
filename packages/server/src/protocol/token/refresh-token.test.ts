import { describe, expect, it } from 'vitest';
import { parseParameters } from '../parameters.js';
import { InvalidGrant, InvalidRequest, InvalidScope } from '../errors.js';
import type { Client, Realm, User } from '../model.js';
import type { RefreshTokenRecord } from '../ports.js';
import { hashOpaqueSecret, openWithSecret } from '../secrets.js';
import {
  createRecordingRandom,
  createRecordingSigner,
  createRefreshTokenStore,
  createRevokedTokenStore,
  createTestClock,
  expectInvalidGrant,
  formEncode,
  OTHER_CLIENT_ID,
  READ,
  refreshTokenRecord,
  rejection,
  seedClient,
  SEED_CUSTOMER_REALM,
  SEED_TENANT,
  SEED_USER,
  SEED_USER_REALM,
  SHORT_REFRESH_POLICY,
  T0,
  WRITE,
} from '../testing/fakes.js';
import type { TokenResponse } from './grant.js';
import { refreshTokenGrant, type RefreshTokenGrantDeps } from './refresh-token.js';

const ACCESS_TTL_SECONDS = 900;

/** Absolute one hour, idle ten minutes, no grace window. */
const CLIENT: Client = seedClient({ refreshTokens: SHORT_REFRESH_POLICY });
const GRACE_CLIENT: Client = { ...CLIENT, refreshTokens: { ...SHORT_REFRESH_POLICY, graceSeconds: 10 } };
const OTHER_CLIENT: Client = { ...CLIENT, clientId: OTHER_CLIENT_ID };

/** The refresh token the code exchange handed out at T0, and its stored row. */
const INITIAL_TOKEN = 'initial-refresh-token';
const FAMILY_ID = 'family-1';
const INITIAL: RefreshTokenRecord = refreshTokenRecord(INITIAL_TOKEN, {
  familyId: FAMILY_ID,
  realmId: SEED_USER_REALM.id,
  tenantId: SEED_TENANT.id,
  clientId: CLIENT.clientId,
  userId: SEED_USER.id,
  codeHash: 'code-hash-1',
  scopes: [READ, WRITE],
  accessTokenExpiresAt: T0 + ACCESS_TTL_SECONDS,
});

interface SetupOptions {
  readonly user?: User | undefined;
  readonly consented?: readonly string[];
  readonly initial?: Partial<RefreshTokenRecord>;
}

function setup(options: SetupOptions = {}) {
  const clock = createTestClock();
  const revokedTokens = createRevokedTokenStore();
  const refreshTokens = createRefreshTokenStore(revokedTokens.entries);
  void refreshTokens.insert({ ...INITIAL, ...options.initial });
  const signer = createRecordingSigner({
    accessToken: (claims) => `access-token-for-${String(claims.jti)}`,
    idToken: 'an-id-token',
  });
  // A refresh draws a 16-byte jti, then a 32-byte refresh token; each kind is numbered on its own.
  const drawn = { jti: 0, refresh: 0 };
  const random = createRecordingRandom((bytes) =>
    bytes === 32 ? `refresh-${(drawn.refresh += 1)}` : `jti-${(drawn.jti += 1)}`,
  );
  const user = 'user' in options ? options.user : SEED_USER;
  const consented = options.consented ?? [READ, WRITE];
  const deps: RefreshTokenGrantDeps = {
    refreshTokens,
    revokedTokens,
    signer,
    clock,
    random,
    accessTokenTtlSeconds: ACCESS_TTL_SECONDS,
    idTokenTtlSeconds: 300,
    findUser: async (tenantId, userId) => (user && user.tenantId === tenantId && user.id === userId ? user : undefined),
    grantedScopes: async (userId, clientId) =>
      userId === SEED_USER.id && clientId === CLIENT.clientId ? consented : [],
  };
  const grant = refreshTokenGrant(deps);
  const refresh = (
    form: Record<string, string | undefined> = {},
    client: Client = CLIENT,
    realm: Realm = SEED_USER_REALM,
  ): Promise<TokenResponse> => {
    const values = { grant_type: 'refresh_token', refresh_token: INITIAL_TOKEN, client_id: client.clientId, ...form };
    return grant({ realm, tenant: SEED_TENANT, client, parameters: parseParameters(formEncode(values)) });
  };
  const record = (token: string): RefreshTokenRecord | undefined => refreshTokens.records.get(hashOpaqueSecret(token));
  const liveTokens = (): RefreshTokenRecord[] =>
    [...refreshTokens.records.values()].filter((row) => row.rotatedAt === null && row.revokedAt === null);
  return {
    clock,
    revoked: revokedTokens.entries,
    refreshTokens,
    signed: signer.signed,
    randomBytes: random.drawnBytes,
    refresh,
    record,
    liveTokens,
  };
}

function response(jti: string, refreshToken: string, scope = `${READ} ${WRITE}`): TokenResponse {
  return {
    access_token: `access-token-for-${jti}`,
    token_type: 'Bearer',
    expires_in: ACCESS_TTL_SECONDS,
    scope,
    refresh_token: refreshToken,
  };
}

describe('refresh_token grant: rotation (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2)', () => {
  it('returns a new access token and a new refresh token with the scopes of the grant', async () => {
    const { refresh, clock } = setup();
    clock.now = T0 + 100;
    expect(await refresh()).toEqual(response('jti-1', 'refresh-1'));
  });

  it('retires the presented token and stores its successor in the same family: same absolute expiry, a new idle period', async () => {
    const { refresh, clock, record, refreshTokens } = setup();
    clock.now = T0 + 100;
    await refresh();
    expect(record(INITIAL_TOKEN)).toEqual({ ...INITIAL, rotatedAt: T0 + 100, successorSealed: null });
    expect(record('refresh-1')).toEqual({
      ...INITIAL,
      tokenHash: hashOpaqueSecret('refresh-1'),
      idleExpiresAt: T0 + 100 + 600,
      createdAt: T0 + 100,
      accessTokenJti: 'jti-1',
      accessTokenExpiresAt: T0 + 100 + ACCESS_TTL_SECONDS,
    });
    expect(refreshTokens.records.size).toBe(2);
    expect(refreshTokens.revocations).toEqual([]);
  });

  it('signs the access token with the original auth_time and a fresh 16-byte jti; the new refresh token is 32 random bytes', async () => {
    const { refresh, clock, signed, randomBytes } = setup();
    clock.now = T0 + 100;
    await refresh();
    expect(randomBytes).toEqual([16, 32]);
    expect(signed).toEqual([
      {
        tenantId: SEED_TENANT.id,
        typ: 'at+jwt',
        claims: {
          iss: SEED_USER_REALM.issuer,
          sub: SEED_USER.id,
          aud: SEED_TENANT.apiDomain,
          client_id: CLIENT.clientId,
          scope: `${READ} ${WRITE}`,
          iat: T0 + 100,
          exp: T0 + 100 + ACCESS_TTL_SECONDS,
          jti: 'jti-1',
          auth_time: T0 - 60,
          tenant_id: SEED_TENANT.id,
          actor: 'user',
        },
      },
    ]);
  });

  it('signs no id_token on refresh, even for a grant with openid', async () => {
    const { refresh, signed } = setup({ initial: { scopes: ['openid', READ] }, consented: ['openid', READ] });
    const result = await refresh();
    expect(result).toEqual(response('jti-1', 'refresh-1', `openid ${READ}`));
    expect(result).not.toHaveProperty('id_token');
    expect(signed.map((call) => call.typ)).toEqual(['at+jwt']);
  });

  it('lets each successor be refreshed in turn, one live token per family at any time', async () => {
    const { refresh, clock, liveTokens } = setup();
    clock.now = T0 + 100;
    const first = await refresh();
    clock.now = T0 + 200;
    const second = await refresh({ refresh_token: first.refresh_token });
    clock.now = T0 + 300;
    expect(await refresh({ refresh_token: second.refresh_token })).toEqual(response('jti-3', 'refresh-3'));
    expect(liveTokens().map((row) => row.tokenHash)).toEqual([hashOpaqueSecret('refresh-3')]);
  });

  it('refuses a missing refresh_token with invalid_request', async () => {
    const { refresh } = setup();
    await expect(refresh({ refresh_token: undefined })).rejects.toThrow(
      new InvalidRequest('missing required parameter refresh_token'),
    );
    await expect(refresh({ refresh_token: '' })).rejects.toThrow(
      new InvalidRequest('missing required parameter refresh_token'),
    );
  });
});

describe('refresh_token grant: reuse of a rotated token (RFC 9700 §4.14.2)', () => {
  it('answers invalid_grant and revokes the whole family, deny-listing the unexpired access tokens issued with it', async () => {
    const { refresh, clock, record, refreshTokens, revoked, signed } = setup();
    clock.now = T0 + 100;
    await refresh();
    clock.now = T0 + 200;
    const error = await rejection(refresh());
    expect(error).toBeInstanceOf(InvalidGrant);
    expect(error).toMatchObject({
      message: 'the refresh token was already used',
      detail: `reuse detected: family ${FAMILY_ID} revoked`,
    });
    expect(refreshTokens.revocations).toEqual([{ familyId: FAMILY_ID }]);
    expect(record('refresh-1')).toMatchObject({ revokedAt: T0 + 200 });
    expect([...revoked].sort()).toEqual([
      ['jti-0', { realmId: SEED_USER_REALM.id, expiresAt: T0 + ACCESS_TTL_SECONDS }],
      ['jti-1', { realmId: SEED_USER_REALM.id, expiresAt: T0 + 100 + ACCESS_TTL_SECONDS }],
    ]);
    expect(signed).toHaveLength(1);
  });

  it('leaves the legitimate holder of the successor signed out too: the successor is refused as revoked', async () => {
    const { refresh, clock, signed, refreshTokens } = setup();
    clock.now = T0 + 100;
    const first = await refresh();
    clock.now = T0 + 200;
    await expectInvalidGrant(refresh(), 'the refresh token was already used');
    await expectInvalidGrant(refresh({ refresh_token: first.refresh_token }), 'the refresh token was revoked');
    expect(signed).toHaveLength(1);
    expect(refreshTokens.revocations).toHaveLength(1);
  });

  it('counts as reuse even after the family expired', async () => {
    const { refresh, clock, refreshTokens } = setup();
    clock.now = T0 + 100;
    await refresh();
    clock.now = T0 + 7_200;
    await expectInvalidGrant(refresh(), 'the refresh token was already used');
    expect(refreshTokens.revocations).toEqual([{ familyId: FAMILY_ID }]);
  });
});

describe('refresh_token grant: the per-client grace window', () => {
  it('gives a duplicate within graceSeconds of the rotation the identical response, minting and revoking nothing', async () => {
    const { refresh, clock, signed, refreshTokens, liveTokens } = setup();
    clock.now = T0 + 100;
    const first = await refresh({}, GRACE_CLIENT);
    clock.now = T0 + 110;
    expect(await refresh({}, GRACE_CLIENT)).toEqual(first);
    expect(first).toEqual(response('jti-1', 'refresh-1'));
    expect(signed).toHaveLength(1);
    expect(refreshTokens.revocations).toEqual([]);
    expect(liveTokens().map((row) => row.tokenHash)).toEqual([hashOpaqueSecret('refresh-1')]);
  });

  it('treats a duplicate one second after the window as reuse and revokes the family', async () => {
    const { refresh, clock, refreshTokens, record } = setup();
    clock.now = T0 + 100;
    await refresh({}, GRACE_CLIENT);
    clock.now = T0 + 111;
    await expectInvalidGrant(refresh({}, GRACE_CLIENT), 'the refresh token was already used');
    expect(refreshTokens.revocations).toEqual([{ familyId: FAMILY_ID }]);
    expect(record('refresh-1')).toMatchObject({ revokedAt: T0 + 111 });
  });

  it('stores the successor response sealed with the old token, never the new refresh token in the clear', async () => {
    const { refresh, record } = setup();
    const first = await refresh({}, GRACE_CLIENT);
    const sealed = record(INITIAL_TOKEN)!.successorSealed!;
    expect(sealed).toBeTypeOf('string');
    expect(sealed).not.toContain('refresh-1');
    expect(sealed).not.toContain('access-token-for');
    expect(JSON.parse(openWithSecret(INITIAL_TOKEN, sealed)!)).toEqual(first);
    expect(openWithSecret('refresh-1', sealed)).toBeUndefined();
  });

  it('does not replay for a family revoked inside the window', async () => {
    const { refresh, clock, refreshTokens, signed } = setup();
    clock.now = T0 + 100;
    await refresh({}, GRACE_CLIENT);
    await refreshTokens.revokeFamilies({ familyId: FAMILY_ID }, T0 + 101);
    clock.now = T0 + 105;
    await expectInvalidGrant(refresh({}, GRACE_CLIENT), 'the refresh token was revoked');
    expect(signed).toHaveLength(1);
  });

  it('is off by default: a duplicate in the same second is reuse', async () => {
    const { refresh, refreshTokens } = setup();
    await refresh();
    await expectInvalidGrant(refresh(), 'the refresh token was already used');
    expect(refreshTokens.revocations).toEqual([{ familyId: FAMILY_ID }]);
  });
});

describe('refresh_token grant: lifetimes', () => {
  it('accepts a token one second before its idle expiry', async () => {
    const { refresh, clock } = setup();
    clock.now = T0 + 599;
    expect(await refresh()).toEqual(response('jti-1', 'refresh-1'));
  });

  it('refuses a token at its idle expiry with invalid_grant, rotating, minting and revoking nothing', async () => {
    const { refresh, clock, record, signed, refreshTokens } = setup();
    clock.now = T0 + 600;
    await expectInvalidGrant(refresh(), 'the refresh token expired');
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
    expect(signed).toEqual([]);
    expect(refreshTokens.revocations).toEqual([]);
  });

  it('measures idle time from the last rotation', async () => {
    const { refresh, clock } = setup();
    clock.now = T0 + 500;
    const first = await refresh();
    clock.now = T0 + 1_099;
    expect(await refresh({ refresh_token: first.refresh_token })).toEqual(response('jti-2', 'refresh-2'));
  });

  it('never extends the absolute lifetime: rotations every 500 s end at the family expiry', async () => {
    const { refresh, clock, record } = setup();
    let token = INITIAL_TOKEN;
    for (let at = T0 + 500; at < T0 + 3_600; at += 500) {
      clock.now = at;
      token = (await refresh({ refresh_token: token })).refresh_token!;
    }
    // The last rotation came at T0 + 3500: its idle period is cut at the absolute expiry.
    expect(record(token)).toMatchObject({
      createdAt: T0 + 3_500,
      familyExpiresAt: T0 + 3_600,
      idleExpiresAt: T0 + 3_600,
    });
    clock.now = T0 + 3_600;
    await expectInvalidGrant(refresh({ refresh_token: token }), 'the refresh token expired');
  });

  it('refuses a token at its absolute expiry even when its idle expiry is later', async () => {
    const { refresh, clock, record } = setup({ initial: { idleExpiresAt: T0 + 7_200 } });
    clock.now = T0 + 3_600;
    await expectInvalidGrant(refresh(), 'the refresh token expired');
    expect(record(INITIAL_TOKEN)).toEqual({ ...INITIAL, idleExpiresAt: T0 + 7_200 });
  });

  it("accepts such a token one second before its absolute expiry, cutting the successor's idle period there", async () => {
    const { refresh, clock, record } = setup({ initial: { idleExpiresAt: T0 + 7_200 } });
    clock.now = T0 + 3_599;
    await refresh();
    expect(record('refresh-1')).toMatchObject({ familyExpiresAt: T0 + 3_600, idleExpiresAt: T0 + 3_600 });
  });
});

describe('refresh_token grant: scope (RFC 6749 §6)', () => {
  it('gives the whole grant when scope is omitted', async () => {
    const { refresh, signed } = setup();
    expect((await refresh()).scope).toBe(`${READ} ${WRITE}`);
    expect(signed[0]!.claims.scope).toBe(`${READ} ${WRITE}`);
  });

  it('narrows the access token to a subset while the successor keeps the whole grant', async () => {
    const { refresh, record, signed } = setup();
    const narrowed = await refresh({ scope: READ });
    expect(narrowed).toEqual(response('jti-1', 'refresh-1', READ));
    expect(signed[0]!.claims.scope).toBe(READ);
    expect(record('refresh-1')!.scopes).toEqual([READ, WRITE]);
    expect(await refresh({ refresh_token: narrowed.refresh_token })).toEqual(response('jti-2', 'refresh-2'));
  });

  it('accepts the whole grant named explicitly, in another order', async () => {
    const { refresh } = setup();
    expect((await refresh({ scope: `${WRITE} ${READ}` })).scope).toBe(`${WRITE} ${READ}`);
  });

  it.each([
    ['a superset of the grant', `${READ} core.admin`],
    ['a scope the client has but the grant does not', 'core.aiservices.delete'],
    ['an empty scope', ''],
    ['a malformed scope (two spaces)', `${READ}  ${WRITE}`],
  ])('refuses %s with invalid_scope, rotating and minting nothing', async (_label, scope) => {
    const { refresh, record, signed } = setup({ initial: { scopes: [READ, WRITE] } });
    const error = await rejection(refresh({ scope }, { ...CLIENT, scopes: [READ, WRITE, 'core.aiservices.delete'] }));
    expect(error).toBeInstanceOf(InvalidScope);
    expect(error).toMatchObject({ error: 'invalid_scope', status: 400, message: 'scope exceeds the original grant' });
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
    expect(signed).toEqual([]);
  });
});

describe('refresh_token grant refuses with invalid_grant', () => {
  it("another client's token, without revoking it: its owner can still refresh", async () => {
    const { refresh, record, refreshTokens } = setup();
    const error = await rejection(refresh({}, OTHER_CLIENT));
    expect(error).toBeInstanceOf(InvalidGrant);
    expect(error).toMatchObject({ message: 'invalid refresh token', detail: 'refresh token of another client' });
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
    expect(refreshTokens.revocations).toEqual([]);
    expect(await refresh()).toEqual(response('jti-1', 'refresh-1'));
  });

  it('a token of another realm of the tenant, with the description of an unknown token', async () => {
    const { refresh, record } = setup();
    await expectInvalidGrant(refresh({}, CLIENT, SEED_CUSTOMER_REALM), 'invalid refresh token');
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
  });

  it('an unknown token', async () => {
    const { refresh, refreshTokens } = setup();
    await expectInvalidGrant(refresh({ refresh_token: 'never-issued' }), 'invalid refresh token');
    expect(refreshTokens.revocations).toEqual([]);
  });

  it('a token whose family was revoked, minting nothing', async () => {
    const { refresh, refreshTokens, signed } = setup();
    await refreshTokens.revokeFamilies({ familyId: FAMILY_ID }, T0 + 1);
    await expectInvalidGrant(refresh(), 'the refresh token was revoked');
    expect(signed).toEqual([]);
  });

  it('a disabled client, leaving the token unrotated', async () => {
    const { refresh, record, signed } = setup();
    await expectInvalidGrant(refresh({}, { ...CLIENT, disabled: true }), 'the client is disabled');
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
    expect(signed).toEqual([]);
  });

  it('a disabled person', async () => {
    const { refresh, record } = setup({ user: { ...SEED_USER, disabled: true } });
    await expectInvalidGrant(refresh(), 'the account is disabled');
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
  });

  it('a person who no longer exists, with the description of a disabled one', async () => {
    const { refresh } = setup({ user: undefined });
    await expectInvalidGrant(refresh(), 'the account is disabled');
  });

  it('a password changed after the family started', async () => {
    const { refresh, record } = setup({ user: { ...SEED_USER, passwordChangedAt: T0 + 1 } });
    await expectInvalidGrant(refresh(), 'the grant ended when the password changed');
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
  });

  it('but not a password changed in the second the family started', async () => {
    const { refresh } = setup({ user: { ...SEED_USER, passwordChangedAt: T0 } });
    expect(await refresh()).toEqual(response('jti-1', 'refresh-1'));
  });

  it('consent withdrawn for the client', async () => {
    const { refresh, record } = setup({ consented: [] });
    await expectInvalidGrant(refresh(), 'consent for this grant was withdrawn');
    expect(record(INITIAL_TOKEN)).toEqual(INITIAL);
  });

  it('consent narrowed below the grant, even for a refresh that asks only for what is still consented', async () => {
    const { refresh } = setup({ consented: [READ] });
    await expectInvalidGrant(refresh({ scope: READ }), 'consent for this grant was withdrawn');
  });

  it('but does not consult consent for a client that skips it', async () => {
    const { refresh } = setup({ consented: [] });
    expect(await refresh({}, { ...CLIENT, consentMode: 'skip' })).toEqual(response('jti-1', 'refresh-1'));
  });
});

describe('refresh_token grant under concurrency', () => {
  it('lets at most one of two concurrent refreshes of one token succeed, and leaves no live family behind the loser', async () => {
    const { refresh, revoked, liveTokens, refreshTokens } = setup();
    const results = await Promise.allSettled([refresh(), refresh()]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(InvalidGrant);
    expect(rejected[0]!.reason).toMatchObject({
      message: 'the refresh token was already used',
      detail: 'concurrent refresh lost the race',
    });
    // Two presentations of one token are indistinguishable from theft: the family goes.
    expect(refreshTokens.revocations).toEqual([{ familyId: FAMILY_ID }]);
    expect(liveTokens()).toEqual([]);
    // The loser's access token was minted before it lost: it is deny-listed as well.
    expect([...revoked.keys()].sort()).toEqual(['jti-0', 'jti-1', 'jti-2']);
  });

  it('lets at most one of ten concurrent refreshes succeed', async () => {
    const { refresh, liveTokens, refreshTokens } = setup();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => refresh()));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(liveTokens()).toEqual([]);
    // One successor at most was stored: the losers' rotations wrote nothing.
    expect(refreshTokens.records.size).toBe(2);
  });

  it("with a grace window, gives every concurrent duplicate the winner's response and keeps exactly one live successor", async () => {
    const { refresh, liveTokens, revoked, refreshTokens } = setup();
    const results = await Promise.all([
      refresh({}, GRACE_CLIENT),
      refresh({}, GRACE_CLIENT),
      refresh({}, GRACE_CLIENT),
    ]);
    expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
    expect(liveTokens().map((row) => row.tokenHash)).toEqual([hashOpaqueSecret(results[0]!.refresh_token!)]);
    expect(refreshTokens.revocations).toEqual([]);
    // The access tokens the losers minted are not the one they were given: deny-list them.
    const winnerJti = results[0]!.access_token.replace('access-token-for-', '');
    expect([...revoked.keys()].sort()).toEqual(['jti-1', 'jti-2', 'jti-3'].filter((jti) => jti !== winnerJti));
  });

  it('lets a revocation that lands between the read and the rotation win, deny-listing the access token just minted', async () => {
    const { refresh, refreshTokens, revoked, liveTokens } = setup();
    const rotate = refreshTokens.rotate.bind(refreshTokens);
    refreshTokens.rotate = async (...args) => {
      await refreshTokens.revokeFamilies({ sessionId: 'session-1' }, T0);
      return rotate(...args);
    };
    await expectInvalidGrant(refresh(), 'the refresh token was already used');
    expect(revoked.has('jti-1')).toBe(true);
    expect(liveTokens()).toEqual([]);
  });
});
