import { ConfigurationError } from '../errors.js';
import type { StorageLike, TokenStore, TokenStoreName } from '../types.js';
import { browserGlobal } from './browser-global.js';
import { indexedDbTokenStore } from './indexeddb-store.js';

/** One cached access token. `expiresAt` is in milliseconds since the epoch; null when unknown. */
export interface CachedAccessToken {
  accessToken: string;
  expiresAt: number | null;
  scope: string;
}

/**
 * What the token store holds for a signed-in user: the scopes granted at sign-in, the refresh
 * token when the server issued one, the ID token validated at sign-in (when `openid` was
 * requested), and access tokens keyed by requested scope ('' = the granted scopes; other keys are
 * narrower scopes obtained by refresh).
 */
export interface Session {
  scope: string;
  refreshToken?: string;
  idToken?: string;
  tokens: Record<string, CachedAccessToken>;
}

/** Typed access to the session kept in a {@link TokenStore} under one key. */
export interface SessionStore {
  read(): Promise<Session | undefined>;
  write(session: Session): Promise<void>;
  clear(): Promise<void>;
}

function memoryTokenStore(): TokenStore {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}

function webStorageTokenStore(storage: StorageLike | undefined, name: string): TokenStore {
  if (!storage) throw new ConfigurationError(`tokenStore '${name}' needs ${name}Storage, which this environment lacks`);
  return {
    get: (key) => storage.getItem(key),
    set: (key, value) => storage.setItem(key, value),
    remove: (key) => storage.removeItem(key),
  };
}

/** Turns the `tokenStore` option into a store; an unusable option fails at start-up. */
export function resolveTokenStore(
  option: TokenStoreName | TokenStore | undefined,
  sessionStorage: StorageLike | undefined,
): TokenStore {
  if (option === undefined || option === 'memory') return memoryTokenStore();
  if (option === 'session') return webStorageTokenStore(sessionStorage, 'session');
  if (option === 'local')
    return webStorageTokenStore(
      browserGlobal(() => globalThis.localStorage),
      'local',
    );
  if (option === 'indexeddb') return indexedDbTokenStore(browserGlobal(() => globalThis.indexedDB));
  if (
    typeof option === 'object' &&
    option !== null &&
    ['get', 'set', 'remove'].every((m) => typeof (option as unknown as Record<string, unknown>)[m] === 'function')
  ) {
    return option;
  }
  throw new ConfigurationError(
    `tokenStore must be 'memory', 'session', 'local', 'indexeddb', or an object with get, set and remove methods`,
  );
}

export function createSessionStore(store: TokenStore, key: string): SessionStore {
  return {
    async read() {
      const raw = await store.get(key);
      if (!raw) return undefined;
      try {
        const session = JSON.parse(raw) as Session;
        if (typeof session.scope === 'string' && typeof session.tokens === 'object' && session.tokens !== null)
          return session;
      } catch {
        // Corrupt or foreign value: treated as signed out, and removed below.
      }
      await store.remove(key);
      return undefined;
    },
    write: async (session) => store.set(key, JSON.stringify(session)),
    clear: async () => store.remove(key),
  };
}

/** Scope strings compare as sets (RFC 6749 §3.3): order and repeated spaces do not matter. */
export function normalizeScope(scope: string): string {
  return [...new Set(scope.split(' ').filter(Boolean))].sort().join(' ');
}
