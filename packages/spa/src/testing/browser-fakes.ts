// In-memory stand-ins for the browser APIs the SDK uses (Node 20 has none of them). Test-only.
import type { LocationLike, LockManagerLike, StorageLike, TokenStore } from '../types.js';

export interface MemoryStorage extends StorageLike {
  readonly items: Map<string, string>;
}

export function memoryStorage(): MemoryStorage {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** A token store shared by several clients, as localStorage is shared by the tabs of an origin. */
export interface SharedTokenStore extends TokenStore {
  readonly items: Map<string, string>;
}

export function sharedTokenStore(): SharedTokenStore {
  const items = new Map<string, string>();
  return {
    items,
    // Async like an IndexedDB-backed store, so reads and writes interleave as they would for real.
    get: async (key) => items.get(key),
    set: async (key, value) => void items.set(key, value),
    remove: async (key) => void items.delete(key),
  };
}

/** Web Locks semantics for exclusive locks: one holder per name, the others queue in order. */
export interface MemoryLocks extends LockManagerLike {
  /** Names of the locks requested, in order. */
  readonly requested: string[];
}

export function memoryLocks(): MemoryLocks {
  const tails = new Map<string, Promise<unknown>>();
  const requested: string[] = [];
  return {
    requested,
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      requested.push(name);
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(callback, callback);
      tails.set(
        name,
        result.catch(() => undefined),
      );
      return result;
    },
  };
}

export interface FakeLocation extends LocationLike {
  /** URLs passed to assign(), in order. */
  readonly assigned: string[];
}

export function fakeLocation(href = 'https://app.example.test/'): FakeLocation {
  const assigned: string[] = [];
  return {
    get href() {
      return assigned.at(-1) ?? href;
    },
    assigned,
    assign: (url) => void assigned.push(url),
  };
}

export interface TestClock {
  now(): number;
  advanceSeconds(seconds: number): void;
}

export function testClock(start = Date.UTC(2025, 0, 1)): TestClock {
  let current = start;
  return {
    now: () => current,
    advanceSeconds: (seconds) => void (current += seconds * 1000),
  };
}
