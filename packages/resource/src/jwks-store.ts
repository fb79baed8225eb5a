import { createLocalJWKSet, errors, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { TemporarilyUnavailableError } from './errors.js';
import { fetchJwks, type FetchLike } from './fetch-jwks.js';
import { readFunction, readSeconds } from './options.js';

/** Options of {@link createJwksStore}. Every duration is in seconds; fractions are allowed. */
export interface JwksStoreOptions {
  /**
   * A key set older than this is fetched again before it is used, so retired keys stop being
   * trusted. Seconds. Default is 600 (10 minutes).
   */
  cacheMaxAgeSeconds?: number;
  /**
   * A token whose `kid` is not in the cached key set triggers one fetch (the issuer may have
   * rotated its keys), but no more than once per this period, so a flood of tokens with made-up
   * `kid`s cannot hammer the authorization server. Measured from the start of the previous
   * fetch. Seconds. Default is 30.
   */
  cooldownSeconds?: number;
  /** A key set request (including reading its body) is aborted after this. Seconds. Default is 5. */
  timeoutSeconds?: number;
  /** Replaces the global `fetch` (tests, proxies). */
  fetch?: FetchLike;
  /** Clock in milliseconds since the epoch. Default is `Date.now`; tests pass a fake one. */
  now?: () => number;
}

/** The defaults of {@link JwksStoreOptions}, in seconds. */
export const JWKS_STORE_DEFAULTS = Object.freeze({
  cacheMaxAgeSeconds: 600,
  cooldownSeconds: 30,
  timeoutSeconds: 5,
});

/**
 * Public keys of the issuers, one cached key set per JWKS URI. Share one store between verifiers
 * that trust the same issuers so that they share the cache.
 */
export interface JwksStore {
  /**
   * Resolves the verification key for a JWS header from the key set at `jwksUri`, fetching or
   * refetching it as described in {@link JwksStoreOptions}. Rejects with jose's
   * `JWKSNoMatchingKey` when no key matches, or `TemporarilyUnavailableError` when the key set
   * cannot be fetched.
   */
  getKey(jwksUri: string, header: JWSHeaderParameters): Promise<CryptoKey>;
}

interface Settings {
  cacheMaxAgeMs: number;
  cooldownMs: number;
  timeoutMs: number;
  fetch: FetchLike;
  now: () => number;
}

/**
 * Creates a {@link JwksStore}. Options are validated here and a bad one throws `TypeError`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5 JWK Set format
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2 `jwks_uri` metadata
 */
export function createJwksStore(options: JwksStoreOptions = {}): JwksStore {
  const defaults = JWKS_STORE_DEFAULTS;
  const cacheMaxAgeSeconds = readSeconds(
    options.cacheMaxAgeSeconds,
    'cacheMaxAgeSeconds',
    defaults.cacheMaxAgeSeconds,
    {
      allowZero: true,
    },
  );
  const cooldownSeconds = readSeconds(options.cooldownSeconds, 'cooldownSeconds', defaults.cooldownSeconds, {
    allowZero: true,
  });
  const timeoutSeconds = readSeconds(options.timeoutSeconds, 'timeoutSeconds', defaults.timeoutSeconds, {
    allowZero: false,
  });
  const settings: Settings = Object.freeze({
    cacheMaxAgeMs: cacheMaxAgeSeconds * 1000,
    cooldownMs: cooldownSeconds * 1000,
    // AbortSignal.timeout takes whole milliseconds.
    timeoutMs: Math.ceil(timeoutSeconds * 1000),
    fetch: readFunction<FetchLike>(options.fetch, 'fetch', (url, init) => globalThis.fetch(url, init)),
    now: readFunction(options.now, 'now', Date.now),
  });
  const keySets = new Map<string, RemoteKeySet>();
  return Object.freeze({
    getKey(jwksUri: string, header: JWSHeaderParameters): Promise<CryptoKey> {
      let keySet = keySets.get(jwksUri);
      if (keySet === undefined) {
        keySet = new RemoteKeySet(jwksUri, settings);
        keySets.set(jwksUri, keySet);
      }
      return keySet.getKey(header);
    },
  });
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** The cached key set of one JWKS URI. */
class RemoteKeySet {
  readonly #uri: string;
  readonly #settings: Settings;
  #keys: { local: LocalKeySet; fetchedAt: number } | undefined;
  #lastFetchStartedAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;

  constructor(uri: string, settings: Settings) {
    this.#uri = uri;
    this.#settings = settings;
  }

  async getKey(header: JWSHeaderParameters): Promise<CryptoKey> {
    if (this.#keys === undefined || this.#settings.now() - this.#keys.fetchedAt >= this.#settings.cacheMaxAgeMs) {
      await this.#refresh();
    }
    try {
      return await this.#current()(header);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      // Unknown kid: maybe a rotation. Join a fetch already under way, else start one unless the
      // cooldown forbids it.
      if (this.#inFlight !== undefined) {
        await this.#inFlight;
      } else if (this.#settings.now() - this.#lastFetchStartedAt >= this.#settings.cooldownMs) {
        await this.#refresh();
      } else {
        throw err;
      }
      return this.#current()(header);
    }
  }

  #current(): LocalKeySet {
    if (this.#keys === undefined) throw new Error('unreachable: key set used before a successful fetch');
    return this.#keys.local;
  }

  /** Concurrent callers share one request. */
  #refresh(): Promise<void> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<void> {
    this.#lastFetchStartedAt = this.#settings.now();
    const jwks = await fetchJwks(this.#uri, this.#settings.fetch, this.#settings.timeoutMs);
    let local: LocalKeySet;
    try {
      // Snapshots the set; a key it cannot use simply never matches.
      local = createLocalJWKSet(jwks);
    } catch (err) {
      throw new TemporarilyUnavailableError('The access token cannot be verified at the moment', {
        detail: `GET ${this.#uri} returned an unusable JSON Web Key Set`,
        cause: err,
      });
    }
    this.#keys = { local, fetchedAt: this.#settings.now() };
  }
}
