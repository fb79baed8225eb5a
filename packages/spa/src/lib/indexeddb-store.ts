import { ConfigurationError } from '../errors.js';
import type { TokenStore } from '../types.js';

/** One database per origin for every Gatehouse client; sessions are keyed by client and issuer. */
const DATABASE_NAME = 'gatehouse-spa';
const DATABASE_VERSION = 1;
const OBJECT_STORE = 'sessions';

/** Resolves when the transaction has committed; rejects with its error when it aborts. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A failed request aborts its transaction (the error is not prevented), so abort covers both.
    tx.onabort = () => reject(tx.error ?? new DOMException('the IndexedDB transaction was aborted', 'AbortError'));
  });
}

/**
 * A token store in IndexedDB, shared by every tab of the origin. Unlike localStorage, whose writes
 * reach other tabs' renderers asynchronously in Chromium, a committed IndexedDB transaction is
 * visible to every transaction that starts after it, in any tab. So `set` and `remove` resolve only
 * once their transaction has completed, and `get` reads in a transaction of its own: a tab that
 * writes before releasing the refresh lock and a tab that reads after acquiring it see the same
 * session, which is what keeps two tabs from spending one rotating refresh token.
 *
 * `indexedDb` is the browser's `indexedDB`; the connection is opened on first use and reopened after the browser
 * closes it (site data cleared) or another page asks to upgrade the database.
 */
export function indexedDbTokenStore(indexedDb: IDBFactory | undefined): TokenStore {
  if (!indexedDb) throw new ConfigurationError(`tokenStore 'indexeddb' needs IndexedDB, which this environment lacks`);
  const factory: IDBFactory = indexedDb;
  let connection: Promise<IDBDatabase> | undefined;

  function open(): Promise<IDBDatabase> {
    if (connection) return connection;
    const opening = new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DATABASE_NAME, DATABASE_VERSION);
      request.onupgradeneeded = () => request.result.createObjectStore(OBJECT_STORE);
      request.onsuccess = () => {
        const db = request.result;
        const forget = () => {
          if (connection === opening) connection = undefined;
        };
        db.onversionchange = () => {
          db.close();
          forget();
        };
        db.onclose = forget;
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
    // A failed open (storage blocked, quota) is not cached: the next call tries again.
    opening.catch(() => {
      if (connection === opening) connection = undefined;
    });
    connection = opening;
    return opening;
  }

  async function run<T>(mode: IDBTransactionMode, operate: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await open();
    // Strict durability for writes: a rotated refresh token lost to a power cut would leave the
    // spent one in the store, and presenting it again revokes the session.
    const tx = db.transaction(OBJECT_STORE, mode, mode === 'readwrite' ? { durability: 'strict' } : undefined);
    const request = operate(tx.objectStore(OBJECT_STORE));
    await committed(tx);
    return request.result;
  }

  return {
    async get(key) {
      const value = await run('readonly', (store) => store.get(key) as IDBRequest<unknown>);
      return typeof value === 'string' ? value : undefined;
    },
    async set(key, value) {
      await run('readwrite', (store) => store.put(value, key));
    },
    async remove(key) {
      await run('readwrite', (store) => store.delete(key));
    },
  };
}
