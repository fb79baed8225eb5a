import type { Kysely, Selectable } from 'kysely';
import type { PendingAuthorization } from '../protocol/model.js';
import { parseScope } from '../protocol/scope.js';
import { hotPathOf, type HotPath } from './hot-path.js';
import type { Database, PendingAuthorizationTable } from './schema.js';
import { cannotBeStored } from './lookup-key.js';

/** Authorization requests waiting for the person to sign in and consent; kept server-side. */
export class PendingAuthorizationRepository {
  private readonly hot: HotPath;

  constructor(db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  async insert(pending: PendingAuthorization, tenantId: string): Promise<void> {
    await this.hot.write('insertPending', {
      id: pending.id,
      realm_id: pending.realmId,
      tenant_id: tenantId,
      browser_hash: pending.browserHash,
      csrf_token: pending.csrfToken,
      client_id: pending.clientId,
      redirect_uri: pending.redirectUri,
      scope: pending.scopes.join(' '),
      state: pending.state ?? null,
      code_challenge: pending.codeChallenge,
      nonce: pending.nonce ?? null,
      user_id: pending.userId,
      created_at: pending.createdAt,
      expires_at: pending.expiresAt,
      consumed_at: null,
      login_hint: pending.loginHint ?? null,
      ui_locales: pending.uiLocales ?? null,
    });
  }

  /** The pending request if it is still open (not expired, not finished). */
  async findOpen(id: string, realmId: string, now: number): Promise<PendingAuthorization | undefined> {
    if (cannotBeStored(id, 64) || cannotBeStored(realmId, 80)) return undefined;
    const row = await this.hot.get<Selectable<PendingAuthorizationTable>>(
      'SELECT * FROM pending_authorizations WHERE id = ? AND realm_id = ? AND expires_at > ? AND consumed_at IS NULL',
      [id, realmId, now],
    );
    return row && toPending(row);
  }

  async attachUser(id: string, userId: string): Promise<void> {
    await this.hot.write('attachUserToPending', { id, userId });
  }

  /** Closes the request in one atomic statement; false if another request closed it first. */
  async complete(id: string, now: number): Promise<boolean> {
    return this.hot.write('completePending', { id, now });
  }
}

function toPending(row: Selectable<PendingAuthorizationTable>): PendingAuthorization {
  return {
    id: row.id,
    realmId: row.realm_id,
    browserHash: row.browser_hash,
    csrfToken: row.csrf_token,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    scopes: parseScope(row.scope) ?? [],
    state: row.state ?? undefined,
    codeChallenge: row.code_challenge,
    codeChallengeMethod: 'S256',
    nonce: row.nonce ?? undefined,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.login_hint ? { loginHint: row.login_hint } : {}),
    ...(row.ui_locales ? { uiLocales: row.ui_locales } : {}),
  };
}
