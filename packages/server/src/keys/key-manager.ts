import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { AccessTokenSigner, Clock } from '../protocol/ports.js';
import type { SigningKeyRecord, SigningKeyRepository } from '../store/signing-keys.repository.js';

export const SIGNING_ALGORITHM = 'ES256';

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
}

interface CachedKey {
  readonly kid: string;
  readonly key: CryptoKey;
  readonly readAt: number;
  readonly version: number;
}

/**
 * Per-tenant ES256 signing keys. The private key lives in the database (so every instance signs
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

  /** Adds a new signing key for the tenant; the previous one stays published for a while. */
  async rotate(tenantId: string): Promise<{ kid: string }> {
    const now = this.clock.nowSeconds();
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    await this.keys.rotate(
      {
        kid,
        tenantId,
        alg: SIGNING_ALGORITHM,
        publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
        privateJwk,
        createdAt: now,
      },
      now + this.options.retiredKeyPublishSeconds,
    );
    this.cache.delete(tenantId);
    this.verificationKeys.delete(tenantId);
    this.published.delete(tenantId);
    return { kid };
  }

  /** Makes sure the tenant has a signing key (first start). */
  async ensureKey(tenantId: string): Promise<void> {
    if (!(await this.keys.findActive(tenantId))) await this.rotate(tenantId);
  }

  async signAccessToken(tenantId: string, claims: Record<string, unknown>): Promise<string> {
    return this.sign(tenantId, claims, 'at+jwt');
  }

  /** Signs a JWT with the tenant's active key; `typ` distinguishes token kinds (RFC 8725 §3.11). */
  async sign(tenantId: string, claims: Record<string, unknown>, typ: string): Promise<string> {
    const { kid, key } = await this.activeKey(tenantId);
    return new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALGORITHM, typ, kid }).sign(key);
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
   * `allowExpired`). Returns the payload, or undefined for any token that does not verify.
   */
  async verify(
    tenantId: string,
    token: string,
    expected: { typ: string; issuer: string; allowExpired?: boolean },
  ): Promise<JWTPayload | undefined> {
    const now = this.clock.nowSeconds();
    const options = {
      algorithms: [SIGNING_ALGORITHM],
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

  private async activeKey(tenantId: string): Promise<CachedKey> {
    const now = this.clock.nowSeconds();
    const version = await this.version();
    const cached = this.cache.get(tenantId);
    if (cached && this.fresh(cached, now, version)) return cached;
    let record: SigningKeyRecord | undefined = await this.keys.findActive(tenantId);
    if (!record) {
      await this.rotate(tenantId);
      record = await this.keys.findActive(tenantId);
      if (!record) throw new Error(`no signing key for tenant ${tenantId}`);
    }
    const key =
      cached?.kid === record.kid
        ? cached.key
        : ((await importJWK(record.privateJwk as JWK, SIGNING_ALGORITHM)) as CryptoKey);
    const entry = { kid: record.kid, key, readAt: now, version };
    this.cache.set(tenantId, entry);
    return entry;
  }
}
