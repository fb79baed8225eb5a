/**
 * The group-commit writer's operations on PostgreSQL. PostgreSQL groups concurrent commits
 * itself (commit_delay aside, one WAL flush serves every commit waiting for it), so each
 * operation simply runs as ONE statement, hence one round trip: data-modifying CTEs keep the
 * consume-and-insert and rotate-and-insert pairs atomic, and the UPDATE ... WHERE ... IS NULL
 * row count still decides single use across any number of instances.
 */
import type pg from 'pg';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { FIRST_TOKEN_OF_FAMILY } from '../migrations/0007-family-indexes.js';
import type {
  AuditEventRow,
  CodeRow,
  FamilySelectorArgs,
  PendingRow,
  RefreshRow,
  SessionRow,
  WriteArgs,
  WriteOperationName,
  WriteResult,
} from '../sqlite/write-operations.js';
import { ConsentRepositoryTransaction } from './consent-merge.js';
import { inTransaction } from '../transaction.js';

export interface PostgresContext {
  /** Runs one statement as a named (server-side prepared) statement. */
  query(sql: string, params: readonly unknown[]): Promise<Pick<pg.QueryResult, 'rows' | 'rowCount'>>;
  readonly db: Kysely<Database>;
}

/**
 * An operation that inserts one row, its columns in `columns`' order: the statement text is built
 * once, at load, so it is one named prepared statement like every other.
 */
function rowInsert<Row>(table: string, columns: readonly (keyof Row & string)[]) {
  const text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  return async (ctx: PostgresContext, row: Row): Promise<null> => {
    await ctx.query(
      text,
      columns.map((column) => row[column]),
    );
    return null;
  };
}

const REFRESH_COLUMNS: ReadonlyArray<[keyof RefreshRow, string]> = [
  ['token_hash', 'text'],
  ['family_id', 'text'],
  ['realm_id', 'text'],
  ['tenant_id', 'text'],
  ['client_id', 'text'],
  ['user_id', 'text'],
  ['session_id', 'text'],
  ['code_hash', 'text'],
  ['scope', 'text'],
  ['auth_time', 'bigint'],
  ['family_created_at', 'bigint'],
  ['family_expires_at', 'bigint'],
  ['idle_expires_at', 'bigint'],
  ['created_at', 'bigint'],
  ['rotated_at', 'bigint'],
  ['revoked_at', 'bigint'],
  ['access_token_jti', 'text'],
  ['access_token_expires_at', 'bigint'],
  ['successor_sealed', 'text'],
];

/** `INSERT INTO refresh_tokens (...) SELECT $from.. FROM source`: parameters typed, as a SELECT list needs. */
function insertRefreshFrom(source: string, from: number): string {
  const columns = REFRESH_COLUMNS.map(([name]) => name).join(', ');
  const values = REFRESH_COLUMNS.map(([, type], i) => `$${from + i}::${type}`).join(', ');
  return `INSERT INTO refresh_tokens (${columns}) SELECT ${values} FROM ${source}`;
}
const refreshValues = (row: RefreshRow): unknown[] => REFRESH_COLUMNS.map(([name]) => row[name]);
const CONSUME =
  'UPDATE authorization_codes SET consumed_at = $1, access_token_jti = $2 WHERE code_hash = $3 AND consumed_at IS NULL';
const CONSUME_AND_START_FAMILY = `WITH consumed AS (${CONSUME} RETURNING 1) ${insertRefreshFrom('consumed', 4)}`;
const ROTATE =
  'UPDATE refresh_tokens SET rotated_at = $1, successor_sealed = $2 WHERE token_hash = $3 AND rotated_at IS NULL AND revoked_at IS NULL';
const ROTATE_AND_INSERT = `WITH rotated AS (${ROTATE} RETURNING 1) ${insertRefreshFrom('rotated', 4)}`;

function familiesSql(selector: FamilySelectorArgs): { sql: string; params: unknown[] } {
  switch (selector.by) {
    case 'family':
      return { sql: 'SELECT $2::text AS family_id', params: [selector.familyId] };
    case 'code':
      return {
        sql: `SELECT DISTINCT family_id FROM refresh_tokens WHERE code_hash = $2 AND ${FIRST_TOKEN_OF_FAMILY}`,
        params: [selector.codeHash],
      };
    case 'session':
      return {
        sql: `SELECT DISTINCT family_id FROM refresh_tokens WHERE session_id = $2 AND ${FIRST_TOKEN_OF_FAMILY}`,
        params: [selector.sessionId],
      };
    case 'user':
      return selector.clientId === null
        ? {
            sql: `SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $2 AND ${FIRST_TOKEN_OF_FAMILY}`,
            params: [selector.userId],
          }
        : {
            sql: `SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $2 AND client_id = $3 AND ${FIRST_TOKEN_OF_FAMILY}`,
            params: [selector.userId, selector.clientId],
          };
  }
}

/**
 * Counts one attempt under a key while it is under `$5` or its window has passed. The condition
 * sits in ON CONFLICT's WHERE, which sees the row as locked, not the statement's snapshot, so
 * concurrent attempts cannot both pass on the same count. No row back: refused (the row stays
 * locked until the transaction ends).
 */
const RESERVE_ATTEMPT = `INSERT INTO login_failures AS f (realm_id, username_key, failures, window_start) VALUES ($1, $2, 1, $3)
  ON CONFLICT (realm_id, username_key) DO UPDATE SET
    failures = CASE WHEN f.window_start <= $4 THEN 1 ELSE f.failures + 1 END,
    window_start = CASE WHEN f.window_start <= $4 THEN $3 ELSE f.window_start END
  WHERE f.window_start <= $4 OR f.failures < $5
  RETURNING failures`;

type PgOperations = {
  [K in WriteOperationName]: (ctx: PostgresContext, args: WriteArgs<K>) => Promise<WriteResult<K>>;
};

export const POSTGRES_WRITE_OPERATIONS: PgOperations = {
  insertCode: rowInsert<CodeRow>('authorization_codes', [
    'code_hash',
    'realm_id',
    'tenant_id',
    'client_id',
    'user_id',
    'session_id',
    'redirect_uri',
    'scope',
    'code_challenge',
    'nonce',
    'auth_time',
    'expires_at',
    'consumed_at',
    'access_token_jti',
    'created_at',
  ]),
  consumeCode: async (ctx, a) => {
    const result = a.refresh
      ? await ctx.query(CONSUME_AND_START_FAMILY, [a.now, a.jti, a.codeHash, ...refreshValues(a.refresh)])
      : await ctx.query(CONSUME, [a.now, a.jti, a.codeHash]);
    return result.rowCount === 1;
  },
  insertRefreshToken: rowInsert<RefreshRow>(
    'refresh_tokens',
    REFRESH_COLUMNS.map(([name]) => name),
  ),
  rotateRefreshToken: async (ctx, a) =>
    (await ctx.query(ROTATE_AND_INSERT, [a.now, a.sealed, a.previousHash, ...refreshValues(a.successor)])).rowCount ===
    1,
  revokeFamilies: async (ctx, a) => {
    const families = familiesSql(a.selector);
    // One statement: every part sees the same snapshot; the count is the number of families.
    const result = await ctx.query(
      `WITH families AS (${families.sql}),
        revoked AS (UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id IN (SELECT family_id FROM families) AND revoked_at IS NULL),
        denied AS (INSERT INTO revoked_access_tokens (jti, realm_id, expires_at) SELECT access_token_jti, realm_id, access_token_expires_at FROM refresh_tokens WHERE family_id IN (SELECT family_id FROM families) AND access_token_jti IS NOT NULL AND access_token_expires_at > $1 ON CONFLICT (jti) DO NOTHING)
      SELECT count(*)::int AS families FROM families`,
      [a.now, ...families.params],
    );
    return (result.rows[0] as { families: number }).families;
  },
  revokeAccessToken: async (ctx, a) => {
    await ctx.query(
      'INSERT INTO revoked_access_tokens (jti, realm_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING',
      [a.jti, a.realmId, a.expiresAt],
    );
    return null;
  },
  insertSession: rowInsert<SessionRow>('sessions', [
    'id_hash',
    'realm_id',
    'tenant_id',
    'user_id',
    'auth_time',
    'expires_at',
    'created_at',
  ]),
  deleteSession: async (ctx, a) => {
    await ctx.query('DELETE FROM sessions WHERE id_hash = $1', [a.idHash]);
    return null;
  },
  deleteSessionsOfUser: async (ctx, a) => {
    await ctx.query('DELETE FROM sessions WHERE user_id = $1', [a.userId]);
    return null;
  },
  insertPending: rowInsert<PendingRow>('pending_authorizations', [
    'id',
    'realm_id',
    'tenant_id',
    'browser_hash',
    'csrf_token',
    'client_id',
    'redirect_uri',
    'scope',
    'state',
    'code_challenge',
    'nonce',
    'user_id',
    'created_at',
    'expires_at',
    'consumed_at',
    'login_hint',
    'ui_locales',
  ]),
  attachUserToPending: async (ctx, a) => {
    await ctx.query('UPDATE pending_authorizations SET user_id = $1 WHERE id = $2', [a.userId, a.id]);
    return null;
  },
  completePending: async (ctx, a) =>
    (
      await ctx.query('UPDATE pending_authorizations SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL', [
        a.now,
        a.id,
      ])
    ).rowCount === 1,
  grantConsent: async (ctx, row) => {
    await new ConsentRepositoryTransaction(ctx.db).grant(row);
    return null;
  },
  revokeConsent: async (ctx, a) =>
    ((await ctx.query('DELETE FROM consents WHERE user_id = $1 AND client_id = $2', [a.userId, a.clientId])).rowCount ??
      0) > 0,
  /**
   * One transaction, counters taken in the plan's order (address, person+address, person, realm
   * for every attempt, so two transactions never wait on each other in opposite orders). A refusal
   * gives back what this attempt counted before it, still under the transaction's locks: no
   * other attempt ever sees the partial count.
   */
  reserveSignInAttempts: (ctx, a) =>
    inTransaction(ctx.db, async (trx) => {
      const windowOpenedAfter = a.now - a.windowSeconds;
      const run = (text: string, params: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, params));
      const counts: number[] = [];
      for (const { key, limit } of a.plan) {
        const counted = await run(RESERVE_ATTEMPT, [a.realmId, key, a.now, windowOpenedAfter, limit]);
        const row = counted.rows[0] as { failures: number } | undefined;
        if (row) {
          counts.push(row.failures);
          continue;
        }
        const taken = a.plan.slice(0, counts.length).map((reservation) => reservation.key);
        if (taken.length > 0)
          await run(
            'UPDATE login_failures SET failures = failures - 1 WHERE realm_id = $1 AND username_key = ANY($2::text[])',
            [a.realmId, taken],
          );
        const window = (
          await run('SELECT window_start FROM login_failures WHERE realm_id = $1 AND username_key = $2', [
            a.realmId,
            key,
          ])
        ).rows[0] as { window_start: number };
        return { reserved: false, retryAfterSeconds: Math.max(1, window.window_start + a.windowSeconds - a.now) };
      }
      return { reserved: true, counts };
    }),
  // One statement per counter, each committed on its own, so a settlement never holds one counter's
  // row lock while it waits for another's. A reservation locks its counters in plan order; one
  // statement over several counters locked them in index order, and the two orders deadlocked
  // (40P01, a 500 on a correct password) when sign-ins from one address ran at once. Settling is
  // giving back, so a crash between the statements leaves counts too high, never too low.
  settleSignInAttempts: async (ctx, a) => {
    await ctx.query('DELETE FROM login_failures WHERE realm_id = $1 AND username_key = $2', [a.realmId, a.cleared]);
    for (const key of a.released)
      await ctx.query(
        'UPDATE login_failures SET failures = failures - 1 WHERE realm_id = $1 AND username_key = $2 AND failures > 0',
        [a.realmId, key],
      );
    return null;
  },
  insertAuditEvent: rowInsert<AuditEventRow>('audit_events', [
    'id',
    'at',
    'type',
    'tenant_id',
    'actor_kind',
    'actor_id',
    'actor_name',
    'target',
    'before_json',
    'after_json',
    'detail_json',
  ]),
};
