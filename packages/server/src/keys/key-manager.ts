import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from 'jose';
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { AccessTokenSigner, Clock } from '../protocol/ports.js';
import { signCompactJws } from './compact-jws.js';
import { openPrivateKey, sealPrivateKey } from './key-encryption.js';
import type { SigningKeyRecord, SigningKeyRepository } from '../store/signing-keys.repository.js';

/** Access tokens (RFC 9068) are always ES256. */
export const SIGNING_ALGORITHM = 'ES256';

/**
 * Every tenant has one active key per algorithm: ES256 (access tokens, and ID Tokens for clients
 * that ask for it) and RS256, the ID Token default that OpenID Connect Discovery 1.0 §3 requires
 * servers to support and Dynamic Client Registration 1.0 §2 assumes when a client names none.
 */
export const KEY_ALGORITHMS = ['ES256', 'RS256'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export interface KeyManagerOptions {
  /** How long after a rotation the replaced key stays published, in seconds. */
  readonly retiredKeyPublishSeconds: number;
  /** How long a process reuses the active key it read before asking the database again, in seconds. */
  readonly activeKeyCacheSeconds: number;
  /**
   * The database's change feed (store/change-feed.ts): when given, cached keys are dropped as
   * soon as signing keys change anywhere (a rotation on another instance, the CLI), instead of
   * after `activeKeyCacheSeconds`.
   */
  readonly changes?: { version(): number | Promise<number> };
  /** When set, new private keys are stored sealed under it (keys/key-encryption.ts), and sealed ones opened with it. */
  readonly keyEncryptionKey?: Buffer;
}

interface CachedKey {
  readonly kid: string;
  readonly key: KeyObject;
  readonly readAt: number;
  readonly version: number;
}

/**
 * Per-tenant signing keys, one active key per algorithm. The private key lives in the database (so every instance signs
 * with the same key) and in a small per-process cache that is safe to lose. Private parts are
 * never logged or published.
 */
export class KeyManager implements AccessTokenSigner {
  private readonly cache = new Map<string, CachedKey>();
  private readonly verificationKeys = new Map<
    string,
    { keys: ReturnType<typeof createLocalJWKSet>; readAt: number; version: number }
  >();
  private readonly published = new Map<string, { jwks: { keys: JWK[] }; readAt: number; version: number }>();

  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly clock: Clock,
    private readonly options: KeyManagerOptions,
  ) {}

  /**
   * Adds a new signing key of every algorithm for the tenant; the previous ones stay published
   * for a while. `kid` is the new ES256 key (access tokens), `kids` every new key.
   */
  async rotate(tenantId: string): Promise<{ kid: string; kids: Record<KeyAlgorithm, string> }> {
    const kids = {} as Record<KeyAlgorithm, string>;
    for (const alg of KEY_ALGORITHMS) kids[alg] = await this.rotateOne(tenantId, alg);
    return { kid: kids.ES256, kids };
  }

  /** Makes sure the tenant has a signing key of every algorithm (first start). */
  async ensureKey(tenantId: string): Promise<void> {
    for (const alg of KEY_ALGORITHMS)
      if (!(await this.keys.findActive(tenantId, alg))) await this.rotateOne(tenantId, alg);
  }

  private async rotateOne(tenantId: string, alg: KeyAlgorithm): Promise<string> {
    const now = this.clock.nowSeconds();
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    await this.keys.rotate(
      {
        kid,
        tenantId,
        alg,
        publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
        privateJwk: this.options.keyEncryptionKey
          ? { ...sealPrivateKey(this.options.keyEncryptionKey, tenantId, kid, privateJwk) }
          : privateJwk,
        createdAt: now,
      },
      now + this.options.retiredKeyPublishSeconds,
    );
    this.cache.delete(cacheKey(tenantId, alg));
    this.verificationKeys.delete(tenantId);
    this.published.delete(tenantId);
    return kid;
  }

  async signAccessToken(tenantId: string, claims: Record<string, unknown>): Promise<string> {
    return this.sign(tenantId, claims, 'at+jwt');
  }

  /**
   * Signs a JWT with the tenant's active key of `alg` (default ES256); `typ` distinguishes token
   * kinds (RFC 8725 §3.11).
   */
  async sign(
    tenantId: string,
    claims: Record<string, unknown>,
    typ: string,
    alg: KeyAlgorithm = SIGNING_ALGORITHM,
  ): Promise<string> {
    const { kid, key } = await this.activeKey(tenantId, alg);
    return signCompactJws(claims, { alg, typ, kid }, key);
  }

  /** The JWKS document: public parts of every key whose tokens may still be alive. */
  async publishedKeys(tenantId: string): Promise<{ keys: JWK[] }> {
    const now = this.clock.nowSeconds();
    const version = await this.version();
    const cached = this.published.get(tenantId);
    if (cached && this.fresh(cached, now, version)) return cached.jwks;
    const records = await this.keys.listPublished(tenantId, now);
    const jwks = { keys: records.map((record) => record.publicJwk as JWK) };
    this.published.set(tenantId, { jwks, readAt: now, version });
    return jwks;
  }

  private async version(): Promise<number> {
    return this.options.changes ? await this.options.changes.version() : 0;
  }

  /** A cached entry serves until the keys change (change feed) or, at the latest, until it is this old. */
  private fresh(entry: { readAt: number; version: number }, now: number, version: number): boolean {
    return entry.version === version && now - entry.readAt < this.options.activeKeyCacheSeconds;
  }

  /**
   * Verifies a JWT this server signed for the tenant (signature, typ, iss; exp unless
   * `allowExpired`), with one of `algorithms` (default ES256 only: access tokens). Returns the
   * payload, or undefined for any token that does not verify.
   */
  async verify(
    tenantId: string,
    token: string,
    expected: { typ: string; issuer: string; allowExpired?: boolean; algorithms?: readonly KeyAlgorithm[] },
  ): Promise<JWTPayload | undefined> {
    const now = this.clock.nowSeconds();
    const options = {
      algorithms: [...(expected.algorithms ?? [SIGNING_ALGORITHM])],
      typ: expected.typ,
      issuer: expected.issuer,
      currentDate: new Date(now * 1000),
      ...(expected.allowExpired ? { clockTolerance: Number.MAX_SAFE_INTEGER } : {}),
    };
    for (const reload of [false, true]) {
      try {
        const { payload } = await jwtVerify(token, await this.verificationKeySet(tenantId, now, reload), options);
        return payload;
      } catch (error) {
        // A kid we have not seen may come from a rotation on another instance: reload once.
        if (reload || (error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') return undefined;
      }
    }
    return undefined;
  }

  private async verificationKeySet(
    tenantId: string,
    now: number,
    reload: boolean,
  ): Promise<ReturnType<typeof createLocalJWKSet>> {
    const version = await this.version();
    const cached = this.verificationKeys.get(tenantId);
    if (cached && !reload && this.fresh(cached, now, version)) return cached.keys;
    if (reload) this.published.delete(tenantId);
    const keys = createLocalJWKSet(await this.publishedKeys(tenantId));
    this.verificationKeys.set(tenantId, { keys, readAt: now, version });
    return keys;
  }

  private async activeKey(tenantId: string, alg: KeyAlgorithm): Promise<CachedKey> {
    const now = this.clock.nowSeconds();
    const version = await this.version();
    const cached = this.cache.get(cacheKey(tenantId, alg));
    if (cached && this.fresh(cached, now, version)) return cached;
    let record: SigningKeyRecord | undefined = await this.keys.findActive(tenantId, alg);
    if (!record) {
      await this.rotateOne(tenantId, alg);
      record = await this.keys.findActive(tenantId, alg);
      if (!record) throw new Error(`no ${alg} signing key for tenant ${tenantId}`);
    }
    const key =
      cached?.kid === record.kid
        ? cached.key
        : createPrivateKey({ key: openPrivateKey(this.options.keyEncryptionKey, record) as JsonWebKey, format: 'jwk' });
    const entry = { kid: record.kid, key, readAt: now, version };
    this.cache.set(cacheKey(tenantId, alg), entry);
    return entry;
  }
}

function cacheKey(tenantId: string, alg: KeyAlgorithm): string {
  return `${tenantId}\u0000${alg}`;
}
