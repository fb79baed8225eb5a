import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { ChangeFeed } from './change-feed.js';
import type { Dialect } from './database.js';
import { POSTGRES_WRITE_OPERATIONS, type PostgresContext } from './postgres/write-operations.js';
import type { Database } from './schema.js';
import type { StatementCache } from './sqlite/statement-cache.js';
import type { WriteArgs, WriteOperationName, WriteResult } from './sqlite/write-operations.js';
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
  return {
    dialect: 'sqlite',
    get: async <T>(sql: string, params: readonly unknown[]) =>
      timed(sql, () => statements.prepare(sql).get(...params) as T | undefined),
    all: async <T>(sql: string, params: readonly unknown[]) =>
      timed(sql, () => statements.prepare(sql).all(...params) as T[]),
    write: (op, args) => writer.run(op, args),
  };
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
  const context: PostgresContext = { query, db };
  return {
    dialect: 'postgres',
    get: async <T>(sql: string, params: readonly unknown[]) => (await query(sql, params)).rows[0] as T | undefined,
    all: async <T>(sql: string, params: readonly unknown[]) => (await query(sql, params)).rows as T[],
    write: (op, args) =>
      (POSTGRES_WRITE_OPERATIONS[op] as (ctx: PostgresContext, a: typeof args) => Promise<WriteResult<typeof op>>)(
        context,
        args,
      ),
  };
}

const registry = new WeakMap<Kysely<Database>, { hot: HotPath; changes: ChangeFeed }>();

/** Remembers the hot path of a Kysely instance, so repositories built from `db` alone find it. */
export function registerHotPath(db: Kysely<Database>, hot: HotPath, changes: ChangeFeed): void {
  registry.set(db, { hot, changes });
}

function registered(db: Kysely<Database>): { hot: HotPath; changes: ChangeFeed } {
  const entry = registry.get(db);
  if (!entry) throw new Error('this Kysely instance was not opened with openDatabase(): no hot path for it');
  return entry;
}

export function hotPathOf(db: Kysely<Database>): HotPath {
  return registered(db).hot;
}

/** The change feed of the database `db` was opened on (for caches). */
export function changeFeedOf(db: Kysely<Database>): ChangeFeed {
  return registered(db).changes;
}
