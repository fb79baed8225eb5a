import { describe, expect, it } from 'vitest';
import { fakeIndexedDb } from '../testing/fake-indexeddb.js';
import { indexedDbTokenStore } from './indexeddb-store.js';

describe('IndexedDB token store', () => {
  it('resolves set only once its transaction has committed, so the next reader on any connection sees the value', async () => {
    const idb = fakeIndexedDb();
    const tabA = indexedDbTokenStore(idb.factory);
    const tabB = indexedDbTokenStore(idb.factory);

    await tabA.set('session', 'v1');
    expect(idb.committed.get('session')).toBe('v1');
    expect(await tabB.get('session')).toBe('v1');

    await tabB.set('session', 'v2');
    expect(await tabA.get('session')).toBe('v2');
    await tabA.remove('session');
    expect(idb.committed.has('session')).toBe(false);
    expect(await tabB.get('session')).toBeUndefined();
  });

  it('reads in a read-only transaction of its own and writes in read-write transactions with strict durability', async () => {
    const idb = fakeIndexedDb();
    const store = indexedDbTokenStore(idb.factory);
    await store.set('k', 'v');
    await store.get('k');
    await store.get('missing');
    await store.remove('k');
    expect(idb.transactions).toEqual([
      { mode: 'readwrite', durability: 'strict', operations: ['put k'] },
      { mode: 'readonly', durability: undefined, operations: ['get k'] },
      { mode: 'readonly', durability: undefined, operations: ['get missing'] },
      { mode: 'readwrite', durability: 'strict', operations: ['delete k'] },
    ]);
  });

  it('returns undefined for a missing key or a value that is not a string', async () => {
    const idb = fakeIndexedDb();
    const store = indexedDbTokenStore(idb.factory);
    expect(await store.get('nothing')).toBeUndefined();
    await store.set('k', 'v');
    idb.committed.set('k', { not: 'a string' });
    expect(await store.get('k')).toBeUndefined();
  });

  it('rejects a write whose transaction aborts with the transaction’s error, and keeps the previous value', async () => {
    const idb = fakeIndexedDb();
    const store = indexedDbTokenStore(idb.factory);
    await store.set('k', 'old');
    idb.abortNextCommit();
    await expect(store.set('k', 'new')).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(await store.get('k')).toBe('old');
  });

  it('opens one connection for all calls, tries again after a failed open, and reopens one the browser closed', async () => {
    const idb = fakeIndexedDb();
    const store = indexedDbTokenStore(idb.factory);
    idb.failNextOpen();
    await expect(store.get('k')).rejects.toMatchObject({ name: 'UnknownError' });

    await Promise.all([store.set('k', 'v'), store.get('k'), store.get('k')]);
    expect(idb.openCount()).toBe(1);

    idb.closeAll();
    expect(await store.get('k')).toBe('v');
    expect(idb.openCount()).toBe(2);
  });
});
