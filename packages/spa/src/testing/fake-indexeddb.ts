// A minimal stand-in for IndexedDB (Node 20 has none), just what the SDK's IndexedDB token store
// uses: open with an upgrade, one object store of values, get/put/delete in transactions. Test-only.
//
// Every connection opened from one fake shares its committed data, as the tabs of an origin share
// their databases. A transaction's requests succeed a task after they are made, and it commits
// (its writes become visible to others, then `complete` fires) a few milliseconds later; so a
// store that trusted a request's `success` instead of its transaction's `complete` would let
// another tab read the old value. Unlike real IndexedDB, transactions are not scheduled against
// each other, which makes the fake stricter: the SDK serialises its refreshes with a lock.

type Handler = ((this: unknown, event: unknown) => void) | null;

/** How long after its requests succeed a transaction commits, in milliseconds: time for others to read. */
const COMMIT_DELAY_MS = 5;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

class FakeRequest<T = unknown> {
  result: T | undefined;
  error: DOMException | null = null;
  onsuccess: Handler = null;
  onerror: Handler = null;
  onupgradeneeded: Handler = null;
  onblocked: Handler = null;
}

export interface TransactionRecord {
  readonly mode: IDBTransactionMode;
  readonly durability: string | undefined;
  readonly operations: string[];
}

export interface FakeIndexedDb {
  /** Pass where an `IDBFactory` is expected. */
  readonly factory: IDBFactory;
  /** Committed values of the object store, by key: what any connection's next read sees. */
  readonly committed: Map<string, unknown>;
  /** Every transaction started, in order, with the operations made in it. */
  readonly transactions: TransactionRecord[];
  /** Number of connections opened (successfully). */
  readonly openCount: () => number;
  /** The next `open` fails with an `UnknownError`, as when storage is blocked. */
  failNextOpen(): void;
  /** The next transaction aborts with a `QuotaExceededError` instead of committing. */
  abortNextCommit(): void;
  /** Closes every open connection, as the browser does when the user clears site data. */
  closeAll(): void;
}

export function fakeIndexedDb(): FakeIndexedDb {
  const committed = new Map<string, unknown>();
  const transactions: TransactionRecord[] = [];
  const connections = new Set<{ onclose: Handler; closed: boolean }>();
  let storeName: string | undefined;
  let opened = 0;
  let failOpen = false;
  let abortCommit = false;

  function connect() {
    const db = {
      closed: false,
      onclose: null as Handler,
      onversionchange: null as Handler,
      objectStoreNames: { contains: (name: string) => name === storeName },
      createObjectStore(name: string) {
        storeName = name;
        return {};
      },
      close() {
        db.closed = true;
        connections.delete(db);
      },
      transaction(name: string, mode: IDBTransactionMode = 'readonly', options?: { durability?: string }) {
        if (db.closed) throw new DOMException('The database connection is closing.', 'InvalidStateError');
        if (name !== storeName) throw new DOMException(`No objectStore named ${name}`, 'NotFoundError');
        return startTransaction(mode, options?.durability);
      },
    };
    connections.add(db);
    return db;
  }

  function startTransaction(mode: IDBTransactionMode, durability: string | undefined) {
    const record: TransactionRecord = { mode, durability, operations: [] };
    transactions.push(record);
    const writes = new Map<string, unknown>();
    const pending: Array<() => void> = [];
    const tx = {
      mode,
      error: null as DOMException | null,
      oncomplete: null as Handler,
      onabort: null as Handler,
      onerror: null as Handler,
      objectStore() {
        const request = <T>(operation: string, perform: () => T) => {
          if (mode === 'readonly' && !operation.startsWith('get '))
            throw new DOMException('The transaction is read-only.', 'ReadOnlyError');
          record.operations.push(operation);
          const req = new FakeRequest<T>();
          pending.push(() => {
            req.result = perform();
            req.onsuccess?.call(req, { target: req });
          });
          return req;
        };
        return {
          get: (key: string) => request(`get ${key}`, () => (writes.has(key) ? writes.get(key) : committed.get(key))),
          put: (value: unknown, key: string) => request(`put ${key}`, () => void writes.set(key, value)),
          delete: (key: string) => request(`delete ${key}`, () => void writes.set(key, undefined)),
        };
      },
    };
    void (async () => {
      await nextTask();
      for (const run of pending) run();
      await new Promise((resolve) => setTimeout(resolve, COMMIT_DELAY_MS));
      if (abortCommit) {
        abortCommit = false;
        tx.error = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        tx.onabort?.call(tx, { target: tx });
        return;
      }
      for (const [key, value] of writes) {
        if (value === undefined) committed.delete(key);
        else committed.set(key, value);
      }
      tx.oncomplete?.call(tx, { target: tx });
    })();
    return tx;
  }

  const factory = {
    open(_name: string, _version?: number) {
      const request = new FakeRequest();
      void nextTask().then(() => {
        if (failOpen) {
          failOpen = false;
          request.error = new DOMException('Internal error opening backing store.', 'UnknownError');
          request.onerror?.call(request, { target: request });
          return;
        }
        const db = connect();
        request.result = db;
        if (storeName === undefined) request.onupgradeneeded?.call(request, { target: request });
        opened += 1;
        request.onsuccess?.call(request, { target: request });
      });
      return request;
    },
  };

  return {
    factory: factory as unknown as IDBFactory,
    committed,
    transactions,
    openCount: () => opened,
    failNextOpen: () => void (failOpen = true),
    abortNextCommit: () => void (abortCommit = true),
    closeAll() {
      for (const db of [...connections]) {
        db.closed = true;
        connections.delete(db);
        db.onclose?.call(db, {});
      }
    },
  };
}
