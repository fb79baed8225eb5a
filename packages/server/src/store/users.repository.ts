import type { Kysely, Selectable } from 'kysely';
import type { Actor, User } from '../protocol/model.js';
import type { Database, UserTable } from './schema.js';
import { cannotBeStored } from './lookup-key.js';

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

  async findByUsername(tenantId: string, actor: Actor, username: string): Promise<User | undefined> {
    if (cannotBeStored(username, 200)) return undefined;
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('actor', '=', actor)
      .where('username', '=', username)
      .executeTakeFirst();
    return row && toUser(row);
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
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }
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
