import type SqliteDatabase from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { isolateStarting } from '../../lib/heap-limits.js';
import { runBatch, type WriteOutcome, type WriteRequest } from './group-commit.js';
import type { StatementCache } from './statement-cache.js';
import {
  SQLITE_WRITE_OPERATIONS,
  type WriteArgs,
  type WriteOperationName,
  type WriteResult,
} from './write-operations.js';
import { writerThreadSource } from './writer-thread.js';

/** Runs named write operations; each promise settles once the commit holding it is durable. */
export interface SqliteWriter {
  /** Settles once the writer can take work (its thread is running). */
  readonly ready: Promise<void>;
  run<K extends WriteOperationName>(op: K, args: WriteArgs<K>): Promise<WriteResult<K>>;
  close(): Promise<void>;
}

/** A failed write operation, with SQLite's error code (e.g. SQLITE_CONSTRAINT_PRIMARYKEY) when there is one. */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Metrics hooks (OpenDatabaseOptions): each group commit reports as one COMMIT and its size. */
export interface WriterHooks {
  readonly onQuery?: (sql: string, seconds: number) => void;
  readonly onCommitBatch?: (size: number) => void;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

abstract class BatchingWriter implements SqliteWriter {
  protected readonly waiters = new Map<number, Waiter>();
  private nextId = 1;

  constructor(private readonly hooks: WriterHooks) {}

  run<K extends WriteOperationName>(op: K, args: WriteArgs<K>): Promise<WriteResult<K>> {
    const id = this.nextId++;
    return new Promise<WriteResult<K>>((resolve, reject) => {
      this.waiters.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.submit({ id, op, args });
    });
  }

  protected settle(outcomes: readonly WriteOutcome[], seconds?: number): void {
    if (seconds !== undefined) {
      this.hooks.onQuery?.('COMMIT', seconds);
      this.hooks.onCommitBatch?.(outcomes.length);
    }
    for (const outcome of outcomes) {
      const waiter = this.waiters.get(outcome.id);
      if (!waiter) continue;
      this.waiters.delete(outcome.id);
      if (outcome.ok) waiter.resolve(outcome.value);
      else waiter.reject(new WriteError(outcome.error.message, outcome.error.code));
    }
  }

  abstract readonly ready: Promise<void>;
  protected abstract submit(request: WriteRequest): void;
  abstract close(): Promise<void>;
}

/**
 * The writer for a database file: a worker thread with its own connection commits the batches,
 * so the main thread goes on parsing, validating and signing while the disk syncs. Requests
 * that arrive during a commit form the next batch.
 */
export class ThreadWriter extends BatchingWriter {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private failed: Error | undefined;
  private referenced = false;

  constructor(path: string, synchronous: 'FULL' | 'NORMAL', hooks: WriterHooks = {}) {
    super(hooks);
    const require = createRequire(import.meta.url);
    this.worker = new Worker(writerThreadSource(), {
      eval: true,
      workerData: { path, synchronous, sqliteModule: require.resolve('better-sqlite3') },
      // The thread holds a connection and a few batches of small messages: a small heap will do
      // and keeps the process's RSS close to what it was without the thread.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 },
    });
    // A thread starting up sets one of V8's (process-wide) heap flags back: lib/heap-limits.ts.
    const online = isolateStarting();
    this.ready = new Promise<void>((resolve) => {
      const started = () => {
        online();
        resolve();
      };
      this.worker.once('online', started);
      this.worker.once('exit', started);
    });
    this.worker.unref();
    this.worker.on('message', (batch: { outcomes: WriteOutcome[]; seconds: number }) => {
      this.settle(batch.outcomes, batch.seconds);
      this.updateReference();
    });
    const fail = (error: Error) => {
      this.failed ??= error;
      for (const waiter of this.waiters.values()) waiter.reject(error);
      this.waiters.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (${code})`)));
  }

  protected submit(request: WriteRequest): void {
    if (this.failed) {
      this.settle([{ id: request.id, ok: false, error: { message: this.failed.message } }]);
      return;
    }
    // Requests of one event-loop turn go to the thread as one message: a postMessage (a
    // structured clone and a wake-up of the thread) costs about as much as the write itself.
    this.outbox.push(request);
    if (this.outbox.length === 1) setImmediate(this.post);
    this.updateReference();
  }

  private outbox: WriteRequest[] = [];
  private readonly post = () => {
    const requests = this.outbox;
    this.outbox = [];
    // After a failure every waiter, these included, was already rejected.
    if (!this.failed) this.worker.postMessage(requests);
  };

  /** The thread keeps the process alive only while a write is in flight. */
  private updateReference(): void {
    const busy = this.waiters.size > 0;
    if (busy === this.referenced) return;
    this.referenced = busy;
    if (busy) this.worker.ref();
    else this.worker.unref();
  }

  async close(): Promise<void> {
    if (this.failed) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    if (this.outbox.length > 0) this.post();
    this.worker.postMessage('close');
    this.worker.ref();
    await exited;
  }
}

/**
 * The writer for an in-memory database (which a second connection cannot open): the same
 * operations and batches, run on the main connection at the end of the current turn.
 */
export class InlineWriter extends BatchingWriter {
  readonly ready = Promise.resolve();
  private queue: WriteRequest[] = [];
  private scheduled = false;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly statements: StatementCache,
    hooks: WriterHooks = {},
  ) {
    super(hooks);
  }

  protected submit(request: WriteRequest): void {
    this.queue.push(request);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    // A Kysely transaction of this connection is open across an await: wait for its end.
    if (this.sqlite.inTransaction) {
      this.schedule();
      return;
    }
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const started = performance.now();
    const outcomes = runBatch(this.sqlite, (sql) => this.statements.prepare(sql), SQLITE_WRITE_OPERATIONS, batch);
    this.settle(outcomes, (performance.now() - started) / 1000);
  }

  async close(): Promise<void> {
    if (this.queue.length > 0) this.flush();
  }
}
