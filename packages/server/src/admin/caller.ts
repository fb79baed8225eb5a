import type { AuditActor } from './audit.js';
import type { AdminGrant } from '../store/administrators.repository.js';

/** The reserved tenant whose `-U` realm signs administrators in (issue 9). */
export const SYSTEM_TENANT_ID = 'GATEHOUSE';
export const ADMIN_SCOPE = 'gatehouse.admin';
export const CONSOLE_CLIENT_ID = 'gatehouse-console';

/** Who is calling an admin function, and what they may touch. */
export interface AdminCaller {
  readonly actor: AuditActor;
  readonly grant: AdminGrant;
}

/** The CLI runs with the database credentials: it may do everything. */
export const CLI_CALLER: AdminCaller = Object.freeze<AdminCaller>({
  actor: { kind: 'system', id: 'cli', name: 'gatehouse CLI' },
  grant: { role: 'operator', tenants: [] },
});

export function canAccessTenant(caller: AdminCaller, tenantId: string): boolean {
  return caller.grant.role === 'operator' || caller.grant.tenants.includes(tenantId);
}

export function isOperator(caller: AdminCaller): boolean {
  return caller.grant.role === 'operator';
}
