/**
 * What the protocol rules need from the outside world. Implemented by `store/` (databases),
 * `keys/` (signing) and `lib/` (clock, randomness); tests pass in-memory or frozen versions.
 */
import type { Actor, Client, PendingAuthorization, Realm, Session, User } from './model.js';

export interface Clock {
  /** Seconds since the epoch. */
  nowSeconds(): number;
}

export interface Random {
  /** base64url of `bytes` cryptographically random bytes. */
  token(bytes: number): string;
  /**
   * `token(bytes)` after 12 lower-case hex digits of the current time in milliseconds. For
   * secrets stored by key (codes, refresh tokens, session cookies): the key keeps the prefix
   * (secrets.ts hashOpaqueSecret), so new rows go to the end of the index, not to a random page.
   */
  sortableToken(bytes: number): string;
  uuid(): string;
}

export interface AuthorizationCodeRecord {
  readonly codeHash: string;
  readonly realmId: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly codeChallenge: string;
  readonly nonce: string | null;
  readonly authTime: number;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  readonly accessTokenJti: string | null;
}

export interface AuthorizationCodeRepository {
  insert(record: Omit<AuthorizationCodeRecord, 'consumedAt' | 'accessTokenJti'>): Promise<void>;
  findByHash(codeHash: string): Promise<AuthorizationCodeRecord | undefined>;
  /**
   * Marks the code used and records the jti of the access token it yields, in one atomic
   * statement; with `firstRefreshToken`, stores the refresh family's first token in the same
   * transaction (one commit on the hot path). Returns false, storing nothing, if the code was
   * already consumed (by a concurrent request too). The grant relies on this: a replay that finds
   * the code consumed always finds the family too, and revokes it (RFC 9700 §4.5).
   */
  consume(
    codeHash: string,
    now: number,
    accessTokenJti: string,
    firstRefreshToken?: RefreshTokenRecord,
  ): Promise<boolean>;
}

export interface RefreshTokenRecord {
  readonly tokenHash: string;
  /** All tokens rotated from one code exchange share a family; reuse revokes the family. */
  readonly familyId: string;
  readonly realmId: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly codeHash: string | null;
  /** The scopes granted to the family (a refresh may ask for fewer; the grant keeps them all). */
  readonly scopes: readonly string[];
  readonly authTime: number;
  readonly familyCreatedAt: number;
  readonly familyExpiresAt: number;
  readonly idleExpiresAt: number;
  readonly createdAt: number;
  readonly rotatedAt: number | null;
  readonly revokedAt: number | null;
  readonly accessTokenJti: string | null;
  readonly accessTokenExpiresAt: number | null;
  readonly successorSealed: string | null;
}

export type RefreshFamilySelector =
  | { familyId: string }
  | { codeHash: string }
  | { sessionId: string }
  | { userId: string; clientId?: string };

export interface RefreshTokenRepository {
  insert(record: RefreshTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Atomically marks `previousHash` rotated and stores its successor; false if it was not live. */
  rotate(
    previousHash: string,
    now: number,
    successorSealed: string | null,
    successor: RefreshTokenRecord,
  ): Promise<boolean>;
  /** Revokes the selected families and the live access tokens issued with them. */
  revokeFamilies(selector: RefreshFamilySelector, now: number): Promise<number>;
}

export interface RevokedTokenRepository {
  revokeAccessToken(jti: string, realmId: string, expiresAt: number): Promise<void>;
  isAccessTokenRevoked(jti: string): Promise<boolean>;
}

export interface AccessTokenSigner {
  /** Signs an RFC 9068 access token with the tenant's current key. */
  signAccessToken(tenantId: string, claims: Record<string, unknown>): Promise<string>;
}

/** Sign-in sessions of a realm, keyed by the SHA-256 of their cookie. */
export interface SessionStore {
  insert(idHash: string, session: Omit<Session, 'id'> & { tenantId: string }, now: number): Promise<void>;
  findActive(idHash: string, realmId: string, now: number): Promise<Session | undefined>;
  delete(idHash: string): Promise<void>;
}

/** Authorization requests parked while the person signs in and consents. */
export interface PendingAuthorizationStore {
  insert(pending: PendingAuthorization, tenantId: string): Promise<void>;
  findOpen(id: string, realmId: string, now: number): Promise<PendingAuthorization | undefined>;
  attachUser(id: string, userId: string): Promise<void>;
  /** Closes the request atomically; false if it was already closed (a double submit). */
  complete(id: string, now: number): Promise<boolean>;
}

export interface ConsentStore {
  grantedScopes(userId: string, clientId: string): Promise<readonly string[]>;
  /** Adds `scopes` to what the person granted the client (never narrows an earlier grant). */
  grant(
    input: { tenantId: string; realmId: string; userId: string; clientId: string; scopes: readonly string[] },
    now: number,
  ): Promise<void>;
}

export interface UserDirectory {
  findById(tenantId: string, id: string): Promise<User | undefined>;
  findByUsername(tenantId: string, actor: Actor, username: string): Promise<User | undefined>;
}

export interface ClientDirectory {
  findById(clientId: string): Promise<Client | undefined>;
  listByTenant(tenantId: string): Promise<readonly Client[]>;
}

/** The scopes a tenant defined, with the words the consent page shows for them. */
export interface ScopeCatalogue {
  listScopes(tenantId: string): Promise<readonly { name: string; description: string }[]>;
}

export type { Actor };

/**
 * Where the sign-in, consent and logout flows report security events (the audit trail, issue 9).
 * Optional: a flow without one reports nothing. Reporting never fails the flow.
 */
export interface SecurityEventSink {
  signIn(
    realm: Realm,
    username: string,
    result: { ok: true; user: { id: string; username: string } } | { ok: false; reason: string },
  ): Promise<void>;
  consentGranted(
    realm: Realm,
    user: { id: string; username: string },
    clientId: string,
    scopes: readonly string[],
  ): Promise<void>;
  /** The person withdrew their grant to `clientId` on their account page. */
  consentWithdrawn(realm: Realm, user: { id: string; username: string }, clientId: string): Promise<void>;
  logout(realm: Realm, user: { id: string; username: string }): Promise<void>;
}
