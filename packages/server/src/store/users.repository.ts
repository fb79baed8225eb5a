import type { Kysely, Selectable } from 'kysely';
import type { Actor, User } from '../protocol/model.js';
import { containsIgnoringCase, toPage, type Page, type PageRequest } from './paging.js';
import type { Database, UserTable } from './schema.js';
import { cannotBeStored } from './lookup-key.js';
import { denyListLiveAccessTokens, familiesOf } from './transaction.js';
import { hotPathOf } from './hot-path.js';

export interface UserRecord extends User {
  readonly createdAt: number;
}

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(user: User, now: number): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        tenant_id: user.tenantId,
        actor: user.actor,
        username: user.username,
        email: user.email,
        password_hash: user.passwordHash,
        disabled: user.disabled ? 1 : 0,
        created_at: now,
        password_changed_at: user.passwordChangedAt,
      })
      .execute();
  }

  /**
   * Usernames are unique per realm ignoring case (issue 12): `Sam` signs in as `sam`. Should two
   * created before that rule differ only in case, the exact spelling wins.
   */
  async findByUsername(tenantId: string, actor: Actor, username: string): Promise<User | undefined> {
    if (cannotBeStored(username, 200)) return undefined;
    // Every sign-in looks its person up: a statement prepared once.
    const rows = await hotPathOf(this.db).all<Selectable<UserTable>>(
      'SELECT * FROM users WHERE tenant_id = ? AND actor = ? AND lower(username) = ? LIMIT 10',
      [tenantId, actor, username.toLowerCase()],
    );
    const row = rows.find((candidate) => candidate.username === username) ?? rows[0];
    return row && toUser(row);
  }

  async listPage(tenantId: string, actor: Actor | undefined, page: PageRequest): Promise<Page<UserRecord>> {
    let query = this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
    if (actor !== undefined) query = query.where('actor', '=', actor);
    if (page.q) query = query.where(containsIgnoringCase(['username', 'email'], page.q));
    if (page.after !== undefined) query = query.where('id', '>', page.after);
    const rows = await query
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const result = toPage(rows, page.limit, (row) => row.id);
    return { items: result.items.map(toRecord), nextAfter: result.nextAfter };
  }

  async findRecord(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async updateEmail(tenantId: string, id: string, email: string | null): Promise<void> {
    await this.db.updateTable('users').set({ email }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  /** Deletes the person with their sessions, consents, codes and refresh tokens (inside a transaction). */
  async delete(tenantId: string, id: string, now: number): Promise<void> {
    await denyListLiveAccessTokens(this.db, 'user_id', id, now);
    await this.db
      .deleteFrom('refresh_tokens')
      .where('family_id', 'in', familiesOf(this.db, 'user_id', id))
      .execute();
    for (const table of ['authorization_codes', 'consents', 'sessions'] as const)
      await this.db.deleteFrom(table).where('user_id', '=', id).execute();
    await this.db.deleteFrom('pending_authorizations').where('user_id', '=', id).execute();
    await this.db.deleteFrom('users').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  async setDisabled(tenantId: string, id: string, disabled: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ disabled: disabled ? 1 : 0 })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async setPasswordHash(tenantId: string, id: string, passwordHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async findById(tenantId: string, id: string): Promise<User | undefined> {
    if (cannotBeStored(id, 64)) return undefined;
    // Every code exchange and refresh reads its person (grant-checks.ts): a statement prepared once.
    const row = await hotPathOf(this.db).get<Selectable<UserTable>>(
      'SELECT * FROM users WHERE tenant_id = ? AND id = ?',
      [tenantId, id],
    );
    return row && toUser(row);
  }
}

function toRecord(row: Selectable<UserTable>): UserRecord {
  return { ...toUser(row), createdAt: row.created_at };
}

function toUser(row: Selectable<UserTable>): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    actor: row.actor as Actor,
    username: row.username,
    email: row.email,
    passwordHash: row.password_hash,
    disabled: row.disabled !== 0,
    passwordChangedAt: row.password_changed_at,
  };
}
