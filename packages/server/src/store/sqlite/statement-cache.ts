import type SqliteDatabase from 'better-sqlite3';

type Statement = SqliteDatabase.Statement<unknown[], unknown>;

/**
 * Prepared statements of one connection, kept by SQL text so a hot query is compiled once per
 * process rather than once per request. Bounded: queries whose text varies (IN lists of
 * different lengths) evict the oldest entries instead of growing without end.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly capacity = 500,
  ) {}

  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.sqlite.prepare(sql);
      if (this.statements.size >= this.capacity) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * The connection as Kysely's SQLite dialect sees it, with three changes: statements come from the
 * cache, transactions begin IMMEDIATE, and writes are reported (the change feed's memo). A deferred transaction that reads before it writes
 * fails at once with SQLITE_BUSY when another connection (the group-commit writer, another
 * process) committed in between; IMMEDIATE takes the write lock first and waits (busy_timeout).
 */
export function kyselyConnection(
  sqlite: SqliteDatabase.Database,
  cache: StatementCache,
  onWrite: () => void,
): { prepare(sql: string): Statement; close(): void } {
  return {
    prepare: (sql: string) => {
      const statement = cache.prepare(sql === 'begin' ? 'begin immediate' : sql);
      // Kysely prepares a statement right before running it: a write is about to happen here.
      if (!statement.reader) onWrite();
      return statement;
    },
    close: () => {
      sqlite.close();
    },
  };
}
