// Test support for the protocol rules: the seed document's fixtures, and in-memory versions of the
// ports (ports.ts) with the semantics of the SQL repositories. Test-only: the build excludes it.
import { expect } from 'vitest';
import { InvalidGrant } from '../errors.js';
import {
  DEFAULT_REFRESH_POLICY,
  realmIdFor,
  type Actor,
  type Client,
  type Realm,
  type RefreshTokenPolicy,
  type Tenant,
  type User,
} from '../model.js';
import type {
  AuthorizationCodeRecord,
  AuthorizationCodeRepository,
  Clock,
  Random,
  RefreshFamilySelector,
  RefreshTokenRecord,
  RefreshTokenRepository,
  RevokedTokenRepository,
} from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';
import type { TokenIssuerDeps } from '../token/issue-tokens.js';

/** When the tests take place, in seconds since the epoch. */
export const T0 = 1_750_000_000;

/** A realm `{tenantId}-U` or `{tenantId}-C` whose issuer is `{origin}/system/auth/{realm id}`. */
export function testRealm(tenantId: string, actor: Actor, origin = 'https://auth.example.com'): Realm {
  const id = realmIdFor(tenantId, actor);
  return { id, tenantId, actor, issuer: `${origin}/system/auth/${id}` };
}

// The seed document: tenant TMPRODB88619984 at the seed issuer host, its Demo SPA, the two
// AI-services scopes and the RFC 7636 appendix B verifier.
export const SEED_TENANT: Tenant = { id: 'TMPRODB88619984', name: 'Demo Tenant', apiDomain: 'https://api.example.com' };
export const SEED_USER_REALM = testRealm(SEED_TENANT.id, 'user', 'https://ai.egain.cloud');
export const SEED_CUSTOMER_REALM = testRealm(SEED_TENANT.id, 'customer', 'https://ai.egain.cloud');
export const SEED_CLIENT_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';
export const SEED_REDIRECT_URI = 'https://oauth.pstmn.io/v1/callback';
export const SEED_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const SEED_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const READ = 'core.aiservices.read';
export const WRITE = 'core.aiservices.write';

/** Another client of the same tenant, for tokens presented by the wrong client. */
export const OTHER_CLIENT_ID = '0c7f4a51-2b3e-4d6f-8a9b-1c2d3e4f5a6b';

/** Tenant ACME, for rules that do not care about the seed document. */
export const ACME_TENANT: Tenant = { id: 'ACME', name: 'Acme', apiDomain: 'https://api.acme.example' };
export const ACME_USER_REALM = testRealm(ACME_TENANT.id, 'user');
export const ACME_CUSTOMER_REALM = testRealm(ACME_TENANT.id, 'customer');

/** Absolute one hour, idle ten minutes, no grace window: short enough to step through in a test. */
export const SHORT_REFRESH_POLICY: RefreshTokenPolicy = {
  enabled: true,
  absoluteTtlSeconds: 3_600,
  idleTtlSeconds: 600,
  graceSeconds: 0,
};

/** The seed Demo SPA: public, global, both API scopes, consent required, the default SPA refresh policy. */
export function seedClient(overrides: Partial<Client> = {}): Client {
  return {
    clientId: SEED_CLIENT_ID,
    tenantId: SEED_TENANT.id,
    name: 'Demo SPA',
    platform: 'spa',
    resourceType: 'global',
    redirectUris: [SEED_REDIRECT_URI],
    scopes: [READ, WRITE],
    consentMode: 'required',
    secretHash: null,
    postLogoutRedirectUris: [],
    refreshTokens: DEFAULT_REFRESH_POLICY.spa,
    idTokenSigningAlg: 'RS256',
    disabled: false,
    ...overrides,
  };
}

/** The same client registered in tenant ACME as "App", returning to https://app.example.com/cb, with scope core.read. */
export function acmeClient(overrides: Partial<Client> = {}): Client {
  return seedClient({
    tenantId: ACME_TENANT.id,
    name: 'App',
    redirectUris: ['https://app.example.com/cb'],
    scopes: ['core.read'],
    ...overrides,
  });
}

/** Alice, an agent of the seed tenant who set her password a day before T0. */
export const SEED_USER: User = {
  id: 'user-1',
  tenantId: SEED_TENANT.id,
  actor: 'user',
  username: 'alice',
  email: 'alice@example.com',
  passwordHash: 'not-used-by-the-grant',
  disabled: false,
  passwordChangedAt: T0 - 86_400,
};

/**
 * The stored row of refresh token `token`: live, in ACME's user realm, for the seed client, user-1
 * and session-1; its family started at T0 with the short policy's expiries, together with access
 * token jti-0 (expiring at T0 + 900).
 */
export function refreshTokenRecord(token: string, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash: hashOpaqueSecret(token),
    familyId: 'family-1',
    realmId: ACME_USER_REALM.id,
    tenantId: ACME_TENANT.id,
    clientId: SEED_CLIENT_ID,
    userId: 'user-1',
    sessionId: 'session-1',
    codeHash: null,
    scopes: ['core.read'],
    authTime: T0 - 60,
    familyCreatedAt: T0,
    familyExpiresAt: T0 + 3_600,
    idleExpiresAt: T0 + 600,
    createdAt: T0,
    rotatedAt: null,
    revokedAt: null,
    accessTokenJti: 'jti-0',
    accessTokenExpiresAt: T0 + 900,
    successorSealed: null,
    ...overrides,
  };
}

/** A clock the test sets by hand through `now`. */
export interface TestClock extends Clock {
  now: number;
}

export function createTestClock(now = T0): TestClock {
  return {
    now,
    nowSeconds(): number {
      return this.now;
    },
  };
}

/**
 * A Random that records how many bytes each `token()` draws and answers `answer(bytes, draw)`,
 * draws counted from 1; by default `random-1`, `random-2`, … The rules under test never ask for a uuid.
 */
export function createRecordingRandom(
  answer: (bytes: number, draw: number) => string = (_bytes, draw) => `random-${draw}`,
): Random & { readonly drawnBytes: number[] } {
  const drawnBytes: number[] = [];
  return {
    drawnBytes,
    token: (bytes) => {
      drawnBytes.push(bytes);
      return answer(bytes, drawnBytes.length);
    },
    // One sequence of draws for both kinds: the rules under test do not depend on the prefix.
    sortableToken: (bytes) => {
      drawnBytes.push(bytes);
      return answer(bytes, drawnBytes.length);
    },
    uuid: () => 'unused',
  };
}

export type TokenSigner = TokenIssuerDeps['signer'];

export interface SignedToken {
  readonly tenantId: string;
  readonly typ: string;
  readonly claims: Record<string, unknown>;
  /** The algorithm asked for (ID Tokens: the client's). */
  readonly alg?: string;
}

/** A signer that records what it signs, in order, and answers with the given stand-in tokens. */
export function createRecordingSigner(tokens: {
  accessToken: (claims: Record<string, unknown>) => string;
  idToken: string;
}): TokenSigner & { readonly signed: SignedToken[] } {
  const signed: SignedToken[] = [];
  return {
    signed,
    async signAccessToken(tenantId, claims) {
      signed.push({ tenantId, typ: 'at+jwt', claims });
      return tokens.accessToken(claims);
    },
    async sign(tenantId, claims, typ, alg) {
      signed.push({ tenantId, typ, claims, ...(alg ? { alg } : {}) });
      return tokens.idToken;
    },
  };
}

/** Deny-listed access tokens by jti. */
export type RevokedAccessTokens = Map<string, { realmId: string; expiresAt: number }>;

/** The access-token deny-list in memory; `entries` is what it holds. */
export function createRevokedTokenStore(): RevokedTokenRepository & { readonly entries: RevokedAccessTokens } {
  const entries: RevokedAccessTokens = new Map();
  return {
    entries,
    async revokeAccessToken(jti, realmId, expiresAt) {
      entries.set(jti, { realmId, expiresAt });
    },
    async isAccessTokenRevoked(jti) {
      return entries.has(jti);
    },
  };
}

/**
 * Authorization codes in memory, with the same atomic consume as the SQL repositories; a first
 * refresh token passed to consume goes into `refreshTokens`, as the SQL transaction does.
 */
export function createCodeStore(
  refreshTokens?: Pick<RefreshTokenRepository, 'insert'>,
): AuthorizationCodeRepository & { records: Map<string, AuthorizationCodeRecord> } {
  const records = new Map<string, AuthorizationCodeRecord>();
  return {
    records,
    async insert(record) {
      records.set(record.codeHash, { ...record, consumedAt: null, accessTokenJti: null });
    },
    async findByHash(codeHash) {
      const record = records.get(codeHash);
      return record && { ...record };
    },
    async consume(codeHash, now, accessTokenJti, firstRefreshToken) {
      const record = records.get(codeHash);
      if (!record || record.consumedAt !== null) return false;
      records.set(codeHash, { ...record, consumedAt: now, accessTokenJti });
      if (firstRefreshToken) await refreshTokens?.insert(firstRefreshToken);
      return true;
    },
  };
}

/**
 * Refresh tokens in memory, with the SQL repository's semantics: rotate succeeds only while the
 * old row is neither rotated nor revoked; revoking families also deny-lists their unexpired
 * access tokens in `revokedAccess` (an already deny-listed jti keeps its entry).
 */
export function createRefreshTokenStore(
  revokedAccess: RevokedAccessTokens,
): RefreshTokenRepository & { records: Map<string, RefreshTokenRecord>; revocations: RefreshFamilySelector[] } {
  const records = new Map<string, RefreshTokenRecord>();
  const revocations: RefreshFamilySelector[] = [];
  const selects = (record: RefreshTokenRecord, selector: RefreshFamilySelector): boolean => {
    if ('familyId' in selector) return record.familyId === selector.familyId;
    if ('codeHash' in selector) return record.codeHash === selector.codeHash;
    if ('sessionId' in selector) return record.sessionId === selector.sessionId;
    return (
      record.userId === selector.userId && (selector.clientId === undefined || record.clientId === selector.clientId)
    );
  };
  return {
    records,
    revocations,
    async insert(record) {
      records.set(record.tokenHash, { ...record });
    },
    async findByHash(tokenHash) {
      const record = records.get(tokenHash);
      return record && { ...record };
    },
    async rotate(previousHash, now, successorSealed, successor) {
      const previous = records.get(previousHash);
      if (!previous || previous.rotatedAt !== null || previous.revokedAt !== null) return false;
      records.set(previousHash, { ...previous, rotatedAt: now, successorSealed });
      records.set(successor.tokenHash, { ...successor });
      return true;
    },
    async revokeFamilies(selector, now) {
      revocations.push(selector);
      const families = new Set(
        [...records.values()].filter((record) => selects(record, selector)).map((record) => record.familyId),
      );
      for (const [hash, record] of records) {
        if (!families.has(record.familyId)) continue;
        if (record.revokedAt === null) records.set(hash, { ...record, revokedAt: now });
        const { accessTokenJti: jti, accessTokenExpiresAt: expiresAt } = record;
        if (jti !== null && expiresAt !== null && expiresAt > now && !revokedAccess.has(jti))
          revokedAccess.set(jti, { realmId: record.realmId, expiresAt });
      }
      return families.size;
    },
  };
}

/** `application/x-www-form-urlencoded`, in order, of the entries that are not undefined. */
export function formEncode(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined) params.append(name, value);
  return params.toString();
}

/** What `promise` rejects with; fails the test if it fulfils. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable('the call should have been refused'),
    (error: unknown) => error as Error,
  );
}

/** `promise` rejects with invalid_grant, status 400, and this error_description. */
export async function expectInvalidGrant(promise: Promise<unknown>, description: string): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidGrant);
  expect(error).toMatchObject({ error: 'invalid_grant', status: 400, message: description });
}
