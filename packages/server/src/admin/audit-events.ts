import type { AppContext } from '../context.js';
import type { AuditEventRecord } from '../store/audit-events.repository.js';
import { type AdminCaller, canAccessTenant, CLI_CALLER, isOperator } from './caller.js';
import { AdminInputError } from './errors.js';
import { type ListInput, pageView, readPage } from './paging.js';

export interface AuditEventView {
  readonly id: string;
  readonly at: number;
  readonly type: string;
  readonly tenant: string | null;
  readonly actor: { readonly kind: string; readonly id: string; readonly name: string };
  readonly target: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly detail: unknown;
}

export function auditEventView(event: AuditEventRecord): AuditEventView {
  return {
    id: event.id,
    at: event.at,
    type: event.type,
    tenant: event.tenantId,
    actor: event.actor,
    target: event.target,
    before: event.before,
    after: event.after,
    detail: event.detail,
  };
}

export interface AuditListInput extends Omit<ListInput, 'q'> {
  tenant?: string;
  type?: string;
  actor?: string;
  since?: number | string;
  until?: number | string;
}

/**
 * The audit trail, newest first. A tenant administrator sees only the events of their tenants
 * (asking for another tenant gives an empty list, as for a tenant that does not exist).
 */
export async function listAuditEvents(
  ctx: AppContext,
  input: AuditListInput,
  caller: AdminCaller = CLI_CALLER,
): Promise<{ items: AuditEventView[]; next_cursor: string | null }> {
  const page = readPage({ limit: input.limit, cursor: input.cursor });
  const since = epochSeconds(input.since, '--since', '/since');
  const until = epochSeconds(input.until, '--until', '/until');
  if (input.tenant !== undefined && !canAccessTenant(caller, input.tenant)) return { items: [], next_cursor: null };
  const result = await ctx.repos.auditEvents.list(
    {
      tenantId: input.tenant || undefined,
      tenantIds: isOperator(caller) ? undefined : caller.grant.tenants,
      type: input.type || undefined,
      actor: input.actor || undefined,
      since,
      until,
    },
    page.limit,
    page.after,
  );
  return pageView(result, auditEventView);
}

/** Epoch seconds, or an ISO 8601 date-time for the CLI's convenience. */
function epochSeconds(value: number | string | undefined, flag: string, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const seconds = Number(value);
    if (Number.isSafeInteger(seconds)) return seconds;
  } else {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw new AdminInputError(`${flag} must be epoch seconds or an ISO 8601 date-time`, field);
}
