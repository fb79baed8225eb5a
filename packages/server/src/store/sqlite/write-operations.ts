/**
 * Named write operations for SQLite's group-commit writer. Each is a small function over
 * prepared statements; the writer runs many of them, from many requests, in one transaction.
 *
 * These functions are shipped to the writer thread as source text (see writer-thread.ts), so
 * each must be self-contained: no imports, no outer variables, only its arguments.
 */
import type { Selectable } from 'kysely';
import type { AttemptReservation, ReservationResult } from '../../protocol/sign-in.js';
import type {
  AuditEventTable,
  AuthorizationCodeTable,
  ConsentTable,
  PendingAuthorizationTable,
  RefreshTokenTable,
  SessionTable,
} from '../schema.js';

/** A prepared statement with better-sqlite3's calling convention. */
export interface PreparedStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
export type Prepare = (sql: string) => PreparedStatement;

export type CodeRow = Selectable<AuthorizationCodeTable>;
export type RefreshRow = Selectable<RefreshTokenTable>;
export type SessionRow = Selectable<SessionTable>;
export type PendingRow = Selectable<PendingAuthorizationTable>;
export type ConsentRow = Selectable<ConsentTable>;
export type AuditEventRow = Selectable<AuditEventTable>;

/** Sign-in attempt counters to reserve (protocol/sign-in.ts), keys already hashed (login-failures.repository.ts). */
export interface AttemptReservationArgs {
  readonly realmId: string;
  readonly plan: readonly AttemptReservation[];
  readonly now: number;
  readonly windowSeconds: number;
}

/** Which refresh families to revoke (protocol/ports.ts RefreshFamilySelector, flattened). */
export type FamilySelectorArgs =
  | { readonly by: 'family'; readonly familyId: string }
  | { readonly by: 'code'; readonly codeHash: string }
  | { readonly by: 'session'; readonly sessionId: string }
  | { readonly by: 'user'; readonly userId: string; readonly clientId: string | null };

export const SQLITE_WRITE_OPERATIONS = {
  insertCode: (p: Prepare, row: CodeRow): null => {
    p(
      'INSERT INTO authorization_codes (code_hash, realm_id, tenant_id, client_id, user_id, session_id, redirect_uri, scope, code_challenge, nonce, auth_time, expires_at, consumed_at, access_token_jti, created_at) VALUES (@code_hash, @realm_id, @tenant_id, @client_id, @user_id, @session_id, @redirect_uri, @scope, @code_challenge, @nonce, @auth_time, @expires_at, @consumed_at, @access_token_jti, @created_at)',
    ).run(row);
    return null;
  },

  /** The UPDATE's row count decides single use; the family's first token commits with it. */
  consumeCode: (p: Prepare, a: { codeHash: string; now: number; jti: string; refresh: RefreshRow | null }): boolean => {
    const consumed = p(
      'UPDATE authorization_codes SET consumed_at = ?, access_token_jti = ? WHERE code_hash = ? AND consumed_at IS NULL',
    ).run(a.now, a.jti, a.codeHash);
    if (consumed.changes !== 1) return false;
    if (a.refresh)
      p(
        'INSERT INTO refresh_tokens (token_hash, family_id, realm_id, tenant_id, client_id, user_id, session_id, code_hash, scope, auth_time, family_created_at, family_expires_at, idle_expires_at, created_at, rotated_at, revoked_at, access_token_jti, access_token_expires_at, successor_sealed) VALUES (@token_hash, @family_id, @realm_id, @tenant_id, @client_id, @user_id, @session_id, @code_hash, @scope, @auth_time, @family_created_at, @family_expires_at, @idle_expires_at, @created_at, @rotated_at, @revoked_at, @access_token_jti, @access_token_expires_at, @successor_sealed)',
      ).run(a.refresh);
    return true;
  },

  insertRefreshToken: (p: Prepare, row: RefreshRow): null => {
    p(
      'INSERT INTO refresh_tokens (token_hash, family_id, realm_id, tenant_id, client_id, user_id, session_id, code_hash, scope, auth_time, family_created_at, family_expires_at, idle_expires_at, created_at, rotated_at, revoked_at, access_token_jti, access_token_expires_at, successor_sealed) VALUES (@token_hash, @family_id, @realm_id, @tenant_id, @client_id, @user_id, @session_id, @code_hash, @scope, @auth_time, @family_created_at, @family_expires_at, @idle_expires_at, @created_at, @rotated_at, @revoked_at, @access_token_jti, @access_token_expires_at, @successor_sealed)',
    ).run(row);
    return null;
  },

  /** Only a live token rotates (row count 1); its successor commits with the rotation. */
  rotateRefreshToken: (
    p: Prepare,
    a: { previousHash: string; now: number; sealed: string | null; successor: RefreshRow },
  ): boolean => {
    const rotated = p(
      'UPDATE refresh_tokens SET rotated_at = ?, successor_sealed = ? WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL',
    ).run(a.now, a.sealed, a.previousHash);
    if (rotated.changes !== 1) return false;
    p(
      'INSERT INTO refresh_tokens (token_hash, family_id, realm_id, tenant_id, client_id, user_id, session_id, code_hash, scope, auth_time, family_created_at, family_expires_at, idle_expires_at, created_at, rotated_at, revoked_at, access_token_jti, access_token_expires_at, successor_sealed) VALUES (@token_hash, @family_id, @realm_id, @tenant_id, @client_id, @user_id, @session_id, @code_hash, @scope, @auth_time, @family_created_at, @family_expires_at, @idle_expires_at, @created_at, @rotated_at, @revoked_at, @access_token_jti, @access_token_expires_at, @successor_sealed)',
    ).run(a.successor);
    return true;
  },

  /**
   * Revokes whole families and deny-lists their access tokens that are still alive. Families
   * are found through their first token (`created_at = family_created_at`: migration 0007's
   * partial indexes).
   */
  revokeFamilies: (p: Prepare, a: { selector: FamilySelectorArgs; now: number }): number => {
    const s = a.selector;
    let families: string[];
    if (s.by === 'family') families = [s.familyId];
    else {
      const rows = (
        s.by === 'code'
          ? p(
              'SELECT DISTINCT family_id FROM refresh_tokens WHERE code_hash = ? AND created_at = family_created_at',
            ).all(s.codeHash)
          : s.by === 'session'
            ? p(
                'SELECT DISTINCT family_id FROM refresh_tokens WHERE session_id = ? AND created_at = family_created_at',
              ).all(s.sessionId)
            : s.clientId === null
              ? p(
                  'SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ? AND created_at = family_created_at',
                ).all(s.userId)
              : p(
                  'SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ? AND client_id = ? AND created_at = family_created_at',
                ).all(s.userId, s.clientId)
      ) as { family_id: string }[];
      families = rows.map((row) => row.family_id);
    }
    for (const family of families) {
      p('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL').run(a.now, family);
      p(
        'INSERT INTO revoked_access_tokens (jti, realm_id, expires_at) SELECT access_token_jti, realm_id, access_token_expires_at FROM refresh_tokens WHERE family_id = ? AND access_token_jti IS NOT NULL AND access_token_expires_at > ? ON CONFLICT (jti) DO NOTHING',
      ).run(family, a.now);
    }
    return families.length;
  },

  revokeAccessToken: (p: Prepare, a: { jti: string; realmId: string; expiresAt: number }): null => {
    p(
      'INSERT INTO revoked_access_tokens (jti, realm_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING',
    ).run(a.jti, a.realmId, a.expiresAt);
    return null;
  },

  insertSession: (p: Prepare, row: SessionRow): null => {
    p(
      'INSERT INTO sessions (id_hash, realm_id, tenant_id, user_id, auth_time, expires_at, created_at) VALUES (@id_hash, @realm_id, @tenant_id, @user_id, @auth_time, @expires_at, @created_at)',
    ).run(row);
    return null;
  },

  deleteSession: (p: Prepare, a: { idHash: string }): null => {
    p('DELETE FROM sessions WHERE id_hash = ?').run(a.idHash);
    return null;
  },

  deleteSessionsOfUser: (p: Prepare, a: { userId: string }): null => {
    p('DELETE FROM sessions WHERE user_id = ?').run(a.userId);
    return null;
  },

  insertPending: (p: Prepare, row: PendingRow): null => {
    p(
      'INSERT INTO pending_authorizations (id, realm_id, tenant_id, browser_hash, csrf_token, client_id, redirect_uri, scope, state, code_challenge, nonce, user_id, created_at, expires_at, consumed_at, login_hint, ui_locales) VALUES (@id, @realm_id, @tenant_id, @browser_hash, @csrf_token, @client_id, @redirect_uri, @scope, @state, @code_challenge, @nonce, @user_id, @created_at, @expires_at, @consumed_at, @login_hint, @ui_locales)',
    ).run(row);
    return null;
  },

  attachUserToPending: (p: Prepare, a: { id: string; userId: string }): null => {
    p('UPDATE pending_authorizations SET user_id = ? WHERE id = ?').run(a.userId, a.id);
    return null;
  },

  completePending: (p: Prepare, a: { id: string; now: number }): boolean =>
    p('UPDATE pending_authorizations SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL').run(a.now, a.id)
      .changes === 1,

  /** Adds scopes to an earlier grant (never narrows it); the upsert covers a concurrent first grant. */
  grantConsent: (p: Prepare, row: ConsentRow): null => {
    const existing = p('SELECT scope FROM consents WHERE user_id = ? AND client_id = ?').get(
      row.user_id,
      row.client_id,
    ) as { scope: string } | undefined;
    const merged = [
      ...new Set([...(existing ? existing.scope.split(' ') : []), ...row.scope.split(' ')].filter((s) => s !== '')),
    ].join(' ');
    p(
      'INSERT INTO consents (tenant_id, realm_id, user_id, client_id, scope, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, updated_at = excluded.updated_at',
    ).run(row.tenant_id, row.realm_id, row.user_id, row.client_id, merged, row.updated_at);
    return null;
  },

  revokeConsent: (p: Prepare, a: { userId: string; clientId: string }): boolean =>
    p('DELETE FROM consents WHERE user_id = ? AND client_id = ?').run(a.userId, a.clientId).changes > 0,

  /**
   * All or nothing (protocol/sign-in.ts). Checking every counter and then counting under each is
   * atomic: it runs inside a write transaction (the batch's BEGIN IMMEDIATE), so no other
   * connection or process writes in between, and the writer runs one operation at a time.
   */
  reserveSignInAttempts: (p: Prepare, a: AttemptReservationArgs): ReservationResult => {
    const windowOpenedAfter = a.now - a.windowSeconds;
    const read = p('SELECT failures, window_start FROM login_failures WHERE realm_id = ? AND username_key = ?');
    for (const { key, limit } of a.plan) {
      const row = read.get(a.realmId, key) as { failures: number; window_start: number } | undefined;
      if (row && row.window_start > windowOpenedAfter && row.failures >= limit)
        return { reserved: false, retryAfterSeconds: Math.max(1, row.window_start + a.windowSeconds - a.now) };
    }
    const count = p(
      'INSERT INTO login_failures (realm_id, username_key, failures, window_start) VALUES (?, ?, 1, ?) ON CONFLICT (realm_id, username_key) DO UPDATE SET failures = CASE WHEN login_failures.window_start <= ? THEN 1 ELSE login_failures.failures + 1 END, window_start = CASE WHEN login_failures.window_start <= ? THEN excluded.window_start ELSE login_failures.window_start END RETURNING failures',
    );
    const counts = a.plan.map(
      ({ key }) =>
        (count.get(a.realmId, key, a.now, windowOpenedAfter, windowOpenedAfter) as { failures: number }).failures,
    );
    return { reserved: true, counts };
  },

  settleSignInAttempts: (p: Prepare, a: { realmId: string; cleared: string; released: readonly string[] }): null => {
    p('DELETE FROM login_failures WHERE realm_id = ? AND username_key = ?').run(a.realmId, a.cleared);
    const release = p(
      'UPDATE login_failures SET failures = failures - 1 WHERE realm_id = ? AND username_key = ? AND failures > 0',
    );
    for (const key of a.released) release.run(a.realmId, key);
    return null;
  },

  insertAuditEvent: (p: Prepare, row: AuditEventRow): null => {
    p(
      'INSERT INTO audit_events (id, at, type, tenant_id, actor_kind, actor_id, actor_name, target, before_json, after_json, detail_json) VALUES (@id, @at, @type, @tenant_id, @actor_kind, @actor_id, @actor_name, @target, @before_json, @after_json, @detail_json)',
    ).run(row);
    return null;
  },
};

export type WriteOperations = typeof SQLITE_WRITE_OPERATIONS;
export type WriteOperationName = keyof WriteOperations;
export type WriteArgs<K extends WriteOperationName> = Parameters<WriteOperations[K]>[1];
export type WriteResult<K extends WriteOperationName> = ReturnType<WriteOperations[K]>;
