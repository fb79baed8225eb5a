import SqliteDatabase from 'better-sqlite3';
import { Kysely, type LogEvent, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { type ChangeFeed, PostgresChangeFeed, sqliteChangeFeed } from './change-feed.js';
import { hotPathOf, postgresHotPath, registerHotPath, sqliteHotPath, type HotPath } from './hot-path.js';
import { kyselyConnection, StatementCache } from './sqlite/statement-cache.js';
import { InlineWriter, ThreadWriter, type SqliteWriter } from './sqlite/writer.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Prepared reads and group-committed writes for the hot-path repositories. */
  readonly hot: HotPath;
  /** Tells caches when tenants, scopes, clients or signing keys changed, in any process. */
  readonly changes: ChangeFeed;
  /** Settles once the handle's own threads run (SQLite's writer): a server awaits it before serving. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL only: the schema to use (created if missing); tests isolate themselves this way. */
  readonly schema?: string;
  /** PostgreSQL only: pool size. Default 20 (GATEHOUSE_DATABASE_POOL_SIZE). */
  readonly poolSize?: number;
  /**
   * SQLite only: FULL (default) syncs every commit to disk, so nothing committed is lost even
   * on power loss; NORMAL (in WAL mode) survives process crashes but may lose the last commits
   * on an OS crash, for about twice the write throughput.
   */
  readonly sqliteSynchronous?: 'FULL' | 'NORMAL';
  /**
   * SQLite file only: where group commits run. 'thread' (default): a writer thread with its own
   * connection, so the event loop never waits for the disk; 'inline': on the main connection.
   */
  readonly sqliteWriter?: 'thread' | 'inline';
  /**
   * PostgreSQL only: told about errors of idle pooled connections (the server restarted, a
   * failover, `pg_terminate_backend`). Without a listener the pool's `error` event would end
   * the process (issue 12, found 8); the pool drops the broken connection and opens a new one
   * on the next query. Default: a line on stderr.
   */
  readonly onConnectionError?: (error: Error) => void;
  /** PostgreSQL only: `application_name` of the connections (operators see it in pg_stat_activity). Default gatehouse. */
  readonly applicationName?: string;
  /**
   * Called after every statement (commits included) with its SQL and duration: the metrics hook.
   * SQLite group commits report one `COMMIT` per batch, timed over the whole batch transaction.
   */
  readonly onQuery?: (sql: string, seconds: number) => void;
  /** Called after every group commit with the number of write operations it held. */
  readonly onCommitBatch?: (size: number) => void;
}

/** How long a request waits for a PostgreSQL connection before it is answered 503, in milliseconds. */
const CONNECT_TIMEOUT_MS = 5_000;

// int8 (bigint) columns hold epoch seconds, well inside Number's safe range.
pg.types.setTypeParser(20, (value: string) => Number(value));

/**
 * Opens the database named by `url`: a `postgres://` URL, or a SQLite file path (`:memory:`
 * for a throw-away database). SQLite runs in WAL mode so readers never wait for the writer.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const connection = {
      connectionString: url,
      // A request waits at most this long for a connection before it is answered 503, and an
      // unreachable server fails start-up with a clear message instead of hanging.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: options.applicationName ?? 'gatehouse',
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    };
    const pool = new pg.Pool({ ...connection, max: options.poolSize ?? defaultPoolSize() });
    const changes = new PostgresChangeFeed(pool, connection);
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      plugins: [changes.plugin],
      ...queryLog(options),
    });
    const report =
      options.onConnectionError ??
      ((error: Error) => process.stderr.write(`[gatehouse] PostgreSQL connection lost: ${error.message}\n`));
    pool.on('error', report);
    // A checked-out connection that dies between two queries emits `error` on its client, which
    // would also end the process unheard; its next query fails (answered 503) and the pool drops
    // it on release.
    pool.on('connect', (client) => client.on('error', () => {}));
    migrationSchemas.set(db, schema ?? 'public');
    const hot = postgresHotPath(pool, db, options.onQuery);
    registerHotPath(db, hot, changes);
    return {
      db,
      dialect: 'postgres',
      hot,
      changes,
      ready: Promise.resolve(),
      close: async () => {
        await changes.close();
        await db.destroy();
      },
    };
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  const synchronous = options.sqliteSynchronous ?? 'FULL';
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const statements = new StatementCache(sqlite);
  const changes = sqliteChangeFeed(statements);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: kyselyConnection(sqlite, statements, changes.wrote) }),
    ...queryLog(options),
  });
  // An in-memory database lives in this connection only: its writer cannot be another thread.
  const writer: SqliteWriter =
    path === ':memory:' || options.sqliteWriter === 'inline'
      ? new InlineWriter(sqlite, statements, options)
      : new ThreadWriter(path, synchronous, options);
  const hot = sqliteHotPath(statements, writer, options.onQuery);
  registerHotPath(db, hot, changes);
  return {
    db,
    dialect: 'sqlite',
    hot,
    changes,
    ready: writer.ready,
    close: async () => {
      await writer.close();
      await db.destroy();
    },
  };
}

function defaultPoolSize(): number {
  const configured = Number(process.env.GATEHOUSE_DATABASE_POOL_SIZE);
  return Number.isInteger(configured) && configured > 0 ? configured : 20;
}

export { hotPathOf };

/** Kysely's `log` option feeding `onQuery`: it reports each statement's duration, failed ones too. */
function queryLog(options: OpenDatabaseOptions): { log?: (event: LogEvent) => void } {
  const onQuery = options.onQuery;
  if (!onQuery) return {};
  return { log: (event) => onQuery(event.query.sql, event.queryDurationMillis / 1000) };
}

/**
 * PostgreSQL: the schema each handle's migration tables live in. Kysely's Migrator, when not told,
 * looks for its tables in every schema of the database, so a second schema with migrations (tests
 * isolate themselves this way) made it skip creating its lock table and fail.
 */
const migrationSchemas = new WeakMap<Kysely<Database>, string>();

/** Brings the schema up to date. Safe to run on every start and from several processes. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const schema = migrationSchemas.get(db);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    if (attempt < MIGRATION_ATTEMPTS && isOtherSchemaDropped(error, schema)) continue;
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}

const MIGRATION_ATTEMPTS = 3;

/**
 * Kysely's Migrator checks for its tables by introspecting every schema of the database; when
 * another schema is dropped while that query runs, PostgreSQL answers invalid_schema_name (3F000)
 * for it. Nothing of ours failed, so the migration is simply run again.
 */
function isOtherSchemaDropped(error: unknown, schema: string | undefined): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '3F000' && typeof message === 'string' && !message.includes(`"${schema ?? 'public'}"`);
}

/** PostgreSQL: creates `schema` if it does not exist (used to isolate tests and deployments). */
export async function createPostgresSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
