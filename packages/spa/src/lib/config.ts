import { ConfigurationError } from '../errors.js';
import type {
  GatehouseClientOptions,
  LocationLike,
  LockManagerLike,
  StorageLike,
  TokenStore,
  WindowLike,
} from '../types.js';
import { browserGlobal } from './browser-global.js';
import { resolveTokenStore } from './session-store.js';
import { wrapFetch } from './map-error.js';

/** Options after defaults and validation; every browser dependency resolved once. */
export interface ClientConfig {
  clientId: string;
  redirectUri: string;
  scope: string;
  leewaySeconds: number;
  fetch: typeof fetch;
  storage: StorageLike;
  tokenStore: TokenStore;
  locks: LockManagerLike | null;
  location: LocationLike;
  now: () => number;
  /** Undefined outside a browser: popups and iframes then fail with a `ConfigurationError`. */
  window: WindowLike | undefined;
}

/** Default leeway before expiry at which a cached access token is refreshed: 30 seconds. */
export const DEFAULT_LEEWAY_SECONDS = 30;

function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigurationError(`${name} must be a non-empty string`);
  return value;
}

/** Applies defaults and rejects options that cannot work, before any request is made. */
export function resolveConfig(options: GatehouseClientOptions): ClientConfig {
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('options must be an object');
  const clientId = requireString('clientId', options.clientId);
  const redirectUri = requireString('redirectUri', options.redirectUri);
  if (!browserGlobal(() => new URL(redirectUri)))
    throw new ConfigurationError(`redirectUri must be an absolute URL, got ${JSON.stringify(redirectUri)}`);
  const scope = requireString('scope', options.scope);

  const leewaySeconds = options.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
  if (!Number.isFinite(leewaySeconds) || leewaySeconds < 0)
    throw new ConfigurationError('leewaySeconds must be a non-negative number of seconds');

  // Called through a closure: browsers throw "Illegal invocation" when fetch loses its `this`.
  const fetchImpl = options.fetch ?? browserGlobal(() => globalThis.fetch.bind(globalThis));
  if (typeof fetchImpl !== 'function') throw new ConfigurationError('no fetch implementation; pass options.fetch');

  const storage = options.storage ?? browserGlobal(() => globalThis.sessionStorage);
  if (!storage)
    throw new ConfigurationError('sessionStorage is unavailable; pass options.storage to keep pending sign-ins');

  const location = options.location ?? browserGlobal(() => globalThis.location);
  if (!location) throw new ConfigurationError('window.location is unavailable; pass options.location');

  const locks =
    options.locks === undefined
      ? (browserGlobal(() => globalThis.navigator.locks as unknown as LockManagerLike) ?? null)
      : options.locks;

  return {
    clientId,
    redirectUri,
    scope,
    leewaySeconds,
    fetch: wrapFetch(fetchImpl),
    storage,
    tokenStore: resolveTokenStore(options.tokenStore, storage),
    locks,
    location,
    now: options.now ?? Date.now,
    window: options.window ?? browserGlobal(() => globalThis.window as unknown as WindowLike),
  };
}
