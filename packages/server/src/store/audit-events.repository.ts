import type { Kysely, Selectable } from 'kysely';
import { type HotPath, hotPathOf } from './hot-path.js';
import { toPage, type Page } from './paging.js';
import type { AuditEventTable, Database } from './schema.js';

export type AuditActorKind = 'admin' | 'api-key' | 'person' | 'system';

export interface AuditEventRecord {
  readonly id: string;
  readonly at: number;
  readonly type: string;
  readonly tenantId: string | null;
  readonly actor: { readonly kind: AuditActorKind; readonly id: string; readonly name: string };
  readonly target: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly detail: unknown;
}

export interface AuditEventFilter {
  readonly tenantId?: string | undefined;
  /** Only events of these tenants (a tenant administrator's view); undefined = all. */
  readonly tenantIds?: readonly string[] | undefined;
  readonly type?: string | undefined;
  /** Matches the actor's id or name. */
  readonly actor?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
}

/** The audit trail: append-only, newest first. */
export class AuditEventRepository {
  private readonly hot: HotPath;

  constructor(private readonly db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  /**
   * A group-commit write (never an fsync on the event loop: sign-in, consent and logout record
   * one each); inside an admin change's transaction, part of that transaction.
   */
  async insert(event: AuditEventRecord): Promise<void> {
    await this.hot.write('insertAuditEvent', {
      id: event.id,
      at: event.at,
      type: event.type,
      tenant_id: event.tenantId,
      actor_kind: event.actor.kind,
      actor_id: event.actor.id.slice(0, 200),
      actor_name: event.actor.name.slice(0, 200),
      target: event.target === null ? null : event.target.slice(0, 400),
      before_json: event.before === undefined || event.before === null ? null : JSON.stringify(event.before),
      after_json: event.after === undefined || event.after === null ? null : JSON.stringify(event.after),
      detail_json: event.detail === undefined || event.detail === null ? null : JSON.stringify(event.detail),
    });
  }

  async list(filter: AuditEventFilter, limit: number, after?: string): Promise<Page<AuditEventRecord>> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.tenantIds !== undefined) {
      if (filter.tenantIds.length === 0) return { items: [], nextAfter: null };
      query = query.where('tenant_id', 'in', [...filter.tenantIds]);
    }
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.actor !== undefined) {
      const actor = filter.actor;
      query = query.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
    }
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<=', filter.until);
    if (after !== undefined) query = query.where('id', '<', after);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = toPage(rows, limit, (row) => row.id);
    return { items: page.items.map(toRecord), nextAfter: page.nextAfter };
  }
}

function toRecord(row: Selectable<AuditEventTable>): AuditEventRecord {
  const parse = (value: string | null): unknown => (value === null ? null : JSON.parse(value));
  return {
    id: row.id,
    at: row.at,
    type: row.type,
    tenantId: row.tenant_id,
    actor: { kind: row.actor_kind as AuditActorKind, id: row.actor_id, name: row.actor_name },
    target: row.target,
    before: parse(row.before_json),
    after: parse(row.after_json),
    detail: parse(row.detail_json),
  };
}
