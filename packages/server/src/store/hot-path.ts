import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import type { ChangeFeed } from './change-feed.js';
import type { Dialect } from './database.js';
import { POSTGRES_WRITE_OPERATIONS, type PostgresContext } from './postgres/write-operations.js';
import type { Database } from './schema.js';
import type { StatementCache } from './sqlite/statement-cache.js';
import {
  type Prepare,
  SQLITE_WRITE_OPERATIONS,
  type WriteArgs,
  type WriteOperationName,
  type WriteResult,
} from './sqlite/write-operations.js';
import type { SqliteWriter } from './sqlite/writer.js';

/**
 * The hot path's access to the database, below the repositories: reads run statements prepared
 * once (SQL written with `?` placeholders, the same text on both dialects), writes are named
 * operations run by the group-commit writer. Nothing is built or compiled per request.
 */
export interface HotPath {
  readonly dialect: Dialect;
  get<T>(sql: string, params: readonly unknown[]): Promise<T | undefined>;
  all<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  /** Resolves once the commit holding the write is durable. */
  write<K extends WriteOperationName>(op: K, args: WriteArgs<K>): Promise<WriteResult<K>>;
  /**
   * The same statements inside a Kysely transaction of this database (an admin change and its
   * audit event): they run in that transaction, not in a group commit (which would wait for the
   * transaction's write lock while the transaction waits for it).
   */
  bindTo(trx: Kysely<Database>): HotPath;
}

/** SQLite: reads on the main connection (WAL: never blocked by the writer), writes via the writer. */
export function sqliteHotPath(statements: StatementCache, writer: SqliteWriter, onQuery?: QueryHook): HotPath {
  const timed = <T>(sql: string, run: () => T): T => {
    if (!onQuery) return run();
    const started = performance.now();
    const result = run();
    onQuery(sql, (performance.now() - started) / 1000);
    return result;
  };
  const get = async <T>(sql: string, params: readonly unknown[]) =>
    timed(sql, () => statements.prepare(sql).get(...params) as T | undefined);
  const all = async <T>(sql: string, params: readonly unknown[]) =>
    timed(sql, () => statements.prepare(sql).all(...params) as T[]);
  // A Kysely transaction of SQLite runs on this very connection: its operations run there, now.
  const bound: HotPath = {
    dialect: 'sqlite',
    get,
    all,
    write: async (op, args) =>
      (SQLITE_WRITE_OPERATIONS[op] as (p: Prepare, a: typeof args) => WriteResult<typeof op>)(
        (sql) => statements.prepare(sql),
        args,
      ),
    bindTo: () => bound,
  };
  return { dialect: 'sqlite', get, all, write: (op, args) => writer.run(op, args), bindTo: () => bound };
}

/** The metrics hook of OpenDatabaseOptions.onQuery. */
export type QueryHook = (sql: string, seconds: number) => void;

/**
 * PostgreSQL: every statement is a named prepared statement (parsed once per pooled
 * connection), and every write operation is a single statement: one round trip.
 */
export function postgresHotPath(pool: pg.Pool, db: Kysely<Database>, onQuery?: QueryHook): HotPath {
  const names = new Map<string, { name: string; text: string }>();
  const statement = (sql: string) => {
    let entry = names.get(sql);
    if (!entry) {
      let n = 0;
      entry = { name: `gh_${names.size + 1}`, text: sql.replace(/\?/g, () => `$${++n}`) };
      names.set(sql, entry);
    }
    return entry;
  };
  const query = async (sql: string, params: readonly unknown[]) => {
    const started = performance.now();
    const result = await pool.query({ ...statement(sql), values: params as unknown[] });
    onQuery?.(sql, (performance.now() - started) / 1000);
    return result;
  };
  return postgresPath({ query, db }, (trx) => {
    // Inside a transaction: its connection, through Kysely (unnamed statements).
    const inTrx = async (sql: string, params: readonly unknown[]) => {
      const result = await trx.executeQuery(CompiledQuery.raw(statement(sql).text, params as unknown[]));
      const rows = result.rows as Record<string, unknown>[];
      return { rows, rowCount: result.numAffectedRows === undefined ? rows.length : Number(result.numAffectedRows) };
    };
    return postgresPath({ query: inTrx, db: trx }, () => {
      throw new Error('nested transactions are not supported');
    });
  });
}

function postgresPath(context: PostgresContext, bindTo: (trx: Kysely<Database>) => HotPath): HotPath {
  return {
    dialect: 'postgres',
    get: async <T>(sql: string, params: readonly unknown[]) =>
      (await context.query(sql, params)).rows[0] as T | undefined,
    all: async <T>(sql: string, params: readonly unknown[]) => (await context.query(sql, params)).rows as T[],
    write: (op, args) =>
      (POSTGRES_WRITE_OPERATIONS[op] as (ctx: PostgresContext, a: typeof args) => Promise<WriteResult<typeof op>>)(
        context,
        args,
      ),
    bindTo,
  };
}

// Keyed by the dialect adapter, which a Kysely instance shares with its transactions.
const registry = new WeakMap<object, { hot: HotPath; changes: ChangeFeed }>();

/** Remembers the hot path of a Kysely instance, so repositories built from `db` alone find it. */
export function registerHotPath(db: Kysely<Database>, hot: HotPath, changes: ChangeFeed): void {
  registry.set(db.getExecutor().adapter, { hot, changes });
}

function registered(db: Kysely<Database>): { hot: HotPath; changes: ChangeFeed } {
  const entry = registry.get(db.getExecutor().adapter);
  if (!entry) throw new Error('this Kysely instance was not opened with openDatabase(): no hot path for it');
  return entry;
}

/** The hot path of `db`, or of the database a transaction `db` belongs to, bound to it. */
export function hotPathOf(db: Kysely<Database>): HotPath {
  const { hot } = registered(db);
  return db.isTransaction ? hot.bindTo(db) : hot;
}

/** The change feed of the database `db` was opened on (for caches). */
export function changeFeedOf(db: Kysely<Database>): ChangeFeed {
  return registered(db).changes;
}
