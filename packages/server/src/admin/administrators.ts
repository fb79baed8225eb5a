import type { AppContext } from '../context.js';
import { hashOpaqueSecret } from '../protocol/secrets.js';
import type { AdminGrant, AdminRole, ApiKeyRecord } from '../store/administrators.repository.js';
import { type AdminCaller, CLI_CALLER, SYSTEM_TENANT_ID } from './caller.js';
import { commitChange } from './change.js';
import { AdminInputError, AdminNotFound } from './errors.js';
import { ensureSystemTenant } from './system-tenant.js';
import { checkPassword } from './users.js';

export const API_KEY_PREFIX = 'gh_adm_';

/** The grant from `--role` and `--tenant`: operators see every tenant, tenant admins the listed ones. */
async function readGrant(ctx: AppContext, role: string | undefined, tenants: readonly string[]): Promise<AdminGrant> {
  if (role !== 'operator' && role !== 'tenant-admin')
    throw new AdminInputError('--role must be operator or tenant-admin', '/role');
  if (role === 'operator') {
    if (tenants.length > 0) throw new AdminInputError('--tenant is only for --role tenant-admin', '/tenants');
    return { role, tenants: [] };
  }
  if (tenants.length === 0) throw new AdminInputError('--role tenant-admin needs at least one --tenant', '/tenants');
  for (const tenant of tenants) {
    if (tenant === SYSTEM_TENANT_ID || !(await ctx.repos.tenants.findById(tenant)))
      throw new AdminInputError(`unknown tenant ${tenant}`, '/tenants');
  }
  return { role: role as AdminRole, tenants: [...new Set(tenants)] };
}

/**
 * Creates an administrator: a person of the GATEHOUSE-U realm (who signs in to the console with
 * the normal login page) with a role. Re-running it for an existing administrator sets the role
 * and password again, so a lost password can be reset from the shell.
 */
export async function createAdministrator(
  ctx: AppContext,
  input: { username?: string; password?: string; role?: string; tenants?: readonly string[] },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ id: string; username: string; role: AdminRole; tenants: string[]; created: boolean }> {
  const grant = await readGrant(ctx, input.role, input.tenants ?? []);
  const username = (input.username ?? '').trim();
  if (!username || username.length > 200 || /[\s\p{Cc}]/u.test(username))
    throw new AdminInputError('--username is required (no spaces, at most 200 characters)', '/username');
  const password = checkPassword(input.password);
  await ensureSystemTenant(ctx);
  const hash = await ctx.passwords.hash(password);
  const now = ctx.clock.nowSeconds();
  const existing = await ctx.repos.users.findByUsername(SYSTEM_TENANT_ID, 'user', username);
  const id = existing?.id ?? ctx.random.uuid();
  return commitChange(ctx, caller, async (repos) => {
    if (existing) {
      await repos.users.setPasswordHash(SYSTEM_TENANT_ID, id, hash, now);
      await repos.users.setDisabled(SYSTEM_TENANT_ID, id, false);
    } else {
      await repos.users.insert(
        {
          id,
          tenantId: SYSTEM_TENANT_ID,
          actor: 'user',
          username,
          email: null,
          passwordHash: hash,
          disabled: false,
          passwordChangedAt: now,
        },
        now,
      );
    }
    await repos.administrators.upsert({ userId: id, ...grant, createdAt: now });
    const result = {
      id,
      username: existing?.username ?? username,
      role: grant.role,
      tenants: [...grant.tenants],
      created: !existing,
    };
    return {
      result,
      audit: {
        type: existing ? 'administrator.updated' : 'administrator.created',
        tenantId: SYSTEM_TENANT_ID,
        target: id,
        after: { username: result.username, role: grant.role, tenants: grant.tenants },
      },
    };
  });
}

export async function listAdministrators(ctx: AppContext): Promise<{
  items: { id: string; username: string; role: AdminRole; tenants: string[]; enabled: boolean; created_at: number }[];
  next_cursor: null;
}> {
  const admins = await ctx.repos.administrators.list();
  return {
    items: admins.map((admin) => ({
      id: admin.userId,
      username: admin.username,
      role: admin.role,
      tenants: [...admin.tenants],
      enabled: !admin.disabled,
      created_at: admin.createdAt,
    })),
    next_cursor: null,
  };
}

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly role: AdminRole;
  readonly tenants: readonly string[];
  readonly created_at: number;
  readonly revoked_at: number | null;
}

function apiKeyView(key: ApiKeyRecord): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    tenants: key.tenants,
    created_at: key.createdAt,
    revoked_at: key.revokedAt,
  };
}

/** A key for automation, returned once; only its SHA-256 is stored (it has 256 bits of entropy). */
export async function createApiKey(
  ctx: AppContext,
  input: { name?: string; tenants?: readonly string[] },
  caller: AdminCaller = CLI_CALLER,
): Promise<ApiKeyView & { key: string }> {
  const name = (input.name ?? '').trim();
  if (!name || name.length > 200) throw new AdminInputError('--name is required (at most 200 characters)', '/name');
  const tenants = input.tenants ?? [];
  const grant = await readGrant(ctx, tenants.length > 0 ? 'tenant-admin' : 'operator', tenants);
  const key = `${API_KEY_PREFIX}${ctx.random.token(32)}`;
  const record: ApiKeyRecord = {
    id: ctx.random.uuid(),
    name,
    ...grant,
    createdAt: ctx.clock.nowSeconds(),
    revokedAt: null,
  };
  return commitChange(ctx, caller, async (repos) => {
    await repos.apiKeys.insert(record, hashOpaqueSecret(key));
    return {
      result: { ...apiKeyView(record), key },
      audit: { type: 'api-key.created', tenantId: SYSTEM_TENANT_ID, target: record.id, after: apiKeyView(record) },
    };
  });
}

export async function listApiKeys(ctx: AppContext): Promise<{ items: ApiKeyView[]; next_cursor: null }> {
  return { items: (await ctx.repos.apiKeys.list()).map(apiKeyView), next_cursor: null };
}

export async function revokeApiKey(
  ctx: AppContext,
  input: { id?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ id: string; revoked: true }> {
  if (!input.id) throw new AdminInputError('--id is required', '/id');
  const id = input.id;
  const key = await ctx.repos.apiKeys.find(id);
  if (!key || key.revokedAt !== null) throw new AdminNotFound(`no live API key ${id}`);
  const now = ctx.clock.nowSeconds();
  return commitChange(ctx, caller, async (repos) => {
    if (!(await repos.apiKeys.revoke(id, now))) throw new AdminNotFound(`no live API key ${id}`);
    return {
      result: { id, revoked: true as const },
      audit: { type: 'api-key.revoked', tenantId: SYSTEM_TENANT_ID, target: id, before: apiKeyView(key) },
    };
  });
}

/** The caller an API key stands for, or undefined for an unknown or revoked key. */
export async function callerForApiKey(ctx: AppContext, key: string): Promise<AdminCaller | undefined> {
  const record = await ctx.repos.apiKeys.findActiveByHash(hashOpaqueSecret(key));
  return record && { actor: { kind: 'api-key', id: record.id, name: record.name }, grant: record };
}
