import type { AppContext } from '../context.js';
import type { Actor, User } from '../protocol/model.js';
import type { UserRecord } from '../store/users.repository.js';
import { type AdminCaller, CLI_CALLER } from './caller.js';
import { commitChange } from './change.js';
import { AdminConflict, AdminInputError, AdminNotFound } from './errors.js';
import { type ListInput, pageView, readPage } from './paging.js';
import { requireTenantRecord } from './tenants.js';

export const MIN_PASSWORD_LENGTH = 8;

export interface UserView {
  readonly id: string;
  readonly tenant: string;
  readonly actor: Actor;
  readonly username: string;
  readonly email: string | null;
  readonly enabled: boolean;
  readonly created_at: number;
}

/** The wire form of a person; never the password hash. */
export function userView(user: UserRecord): UserView {
  return {
    id: user.id,
    tenant: user.tenantId,
    actor: user.actor,
    username: user.username,
    email: user.email,
    enabled: !user.disabled,
    created_at: user.createdAt,
  };
}

/** Who a command is about: by id (API), or by realm and username (CLI). */
export interface UserSelector {
  tenant?: string;
  userId?: string;
  actor?: string;
  username?: string;
}

export async function createUser(
  ctx: AppContext,
  input: { tenant?: string; actor?: string; username?: string; email?: string; password?: string },
  caller: AdminCaller = CLI_CALLER,
  options: { allowSystemTenant?: boolean } = {},
): Promise<Omit<User, 'passwordHash'>> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller, { allowSystem: options.allowSystemTenant });
  const actor = requireActor(input.actor);
  const username = (input.username ?? '').trim();
  if (!username || username.length > 200 || /[\s\p{Cc}]/u.test(username))
    throw new AdminInputError('--username is required (no spaces, at most 200 characters)', '/username');
  const email = checkEmail(input.email);
  const password = checkPassword(input.password);
  // Issue 12: `Sam` and `sam` are one person per realm; the look-up ignores case.
  if (await ctx.repos.users.findByUsername(tenant.id, actor, username))
    throw new AdminConflict(`user ${username} already exists in ${tenant.id} (${actor})`, '/username');
  const now = ctx.clock.nowSeconds();
  const user: User = {
    id: ctx.random.uuid(),
    tenantId: tenant.id,
    actor,
    username,
    email,
    passwordHash: await ctx.passwords.hash(password),
    disabled: false,
    passwordChangedAt: now,
  };
  await commitChange(ctx, caller, async (repos) => {
    await repos.users.insert(user, now);
    return {
      result: undefined,
      audit: {
        type: 'user.created',
        tenantId: tenant.id,
        target: user.id,
        after: userView({ ...user, createdAt: now }),
      },
    };
  });
  const { passwordHash: _omitted, ...visible } = user;
  return visible;
}

export async function listUsers(
  ctx: AppContext,
  input: ListInput & { tenant?: string; actor?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ items: UserView[]; next_cursor: string | null }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  const actor = input.actor === undefined ? undefined : requireActor(input.actor);
  return pageView(await ctx.repos.users.listPage(tenant.id, actor, readPage(input)), userView);
}

export async function getUser(
  ctx: AppContext,
  input: UserSelector,
  caller: AdminCaller = CLI_CALLER,
): Promise<UserView> {
  return userView(await requireUser(ctx, input, caller));
}

/** Changes the email and whether the person may sign in (disabling ends sessions and grants). */
export async function updateUser(
  ctx: AppContext,
  input: UserSelector & { email?: string | null; enabled?: boolean },
  caller: AdminCaller = CLI_CALLER,
): Promise<UserView> {
  const user = await requireUser(ctx, input, caller);
  const email = input.email === undefined ? user.email : checkEmail(input.email ?? undefined);
  const disabled = input.enabled === undefined ? user.disabled : !input.enabled;
  const after = userView({ ...user, email, disabled });
  const now = ctx.clock.nowSeconds();
  return commitChange(ctx, caller, async (repos) => {
    if (email !== user.email) await repos.users.updateEmail(user.tenantId, user.id, email);
    if (disabled !== user.disabled) await repos.users.setDisabled(user.tenantId, user.id, disabled);
    if (disabled && !user.disabled) await endGrants(repos, user.id, now);
    return {
      result: after,
      audit: { type: 'user.updated', tenantId: user.tenantId, target: user.id, before: userView(user), after },
    };
  });
}

/** Disabling a person ends their sessions; their grants stop at the next refresh (invalid_grant). */
export async function setUserDisabled(
  ctx: AppContext,
  input: UserSelector,
  disabled: boolean,
  caller: AdminCaller = CLI_CALLER,
): Promise<{ id: string; disabled: boolean }> {
  const view = await updateUser(ctx, { ...input, enabled: !disabled }, caller);
  return { id: view.id, disabled };
}

export async function deleteUser(
  ctx: AppContext,
  input: UserSelector,
  caller: AdminCaller = CLI_CALLER,
): Promise<{ id: string; deleted: true }> {
  const user = await requireUser(ctx, input, caller);
  const now = ctx.clock.nowSeconds();
  return commitChange(ctx, caller, async (repos) => {
    await repos.users.delete(user.tenantId, user.id, now);
    return {
      result: { id: user.id, deleted: true as const },
      audit: { type: 'user.deleted', tenantId: user.tenantId, target: user.id, before: userView(user) },
    };
  });
}

/** A new password ends every session and every refresh-token family of the person. */
export async function setUserPassword(
  ctx: AppContext,
  input: UserSelector & { password?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ id: string }> {
  const user = await requireUser(ctx, input, caller);
  const password = checkPassword(input.password);
  const hash = await ctx.passwords.hash(password);
  const now = ctx.clock.nowSeconds();
  return commitChange(ctx, caller, async (repos) => {
    await repos.users.setPasswordHash(user.tenantId, user.id, hash, now);
    await endGrants(repos, user.id, now);
    return { result: { id: user.id }, audit: { type: 'user.password-set', tenantId: user.tenantId, target: user.id } };
  });
}

export interface ConsentView {
  readonly client_id: string;
  readonly client_name: string;
  readonly scopes: string[];
  readonly granted_at: number;
}

export async function listConsents(
  ctx: AppContext,
  input: UserSelector,
  caller: AdminCaller = CLI_CALLER,
): Promise<{ items: ConsentView[]; next_cursor: null }> {
  const user = await requireUser(ctx, input, caller);
  const consents = await ctx.repos.consents.listByUser(user.id);
  return {
    items: consents.map((c) => ({
      client_id: c.clientId,
      client_name: c.clientName,
      scopes: c.scopes,
      granted_at: c.grantedAt,
    })),
    next_cursor: null,
  };
}

/** Withdraws a person's consent for a client, with every grant it was the basis of. */
export async function revokeConsent(
  ctx: AppContext,
  input: UserSelector & { clientId?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ id: string; client_id: string }> {
  const user = await requireUser(ctx, input, caller);
  if (!input.clientId) throw new AdminInputError('--client-id is required', '/client_id');
  const clientId = input.clientId;
  const client = await ctx.repos.clients.findById(clientId);
  if (!client || client.tenantId !== user.tenantId)
    throw new AdminNotFound(`unknown client ${clientId} in tenant ${user.tenantId}`);
  const now = ctx.clock.nowSeconds();
  return commitChange(ctx, caller, async (repos) => {
    // Issue 12: say so when there was nothing to withdraw, rather than claim a revocation.
    if (!(await repos.consents.revoke(user.id, clientId)))
      throw new AdminNotFound(`${user.username} has no consent for client ${clientId}; nothing was revoked`);
    await repos.refreshTokens.revokeFamilies({ userId: user.id, clientId }, now);
    return {
      result: { id: user.id, client_id: clientId },
      audit: {
        type: 'consent.withdrawn',
        tenantId: user.tenantId,
        target: user.id,
        detail: { client_id: clientId, by: 'administrator' },
      },
    };
  });
}

export async function requireUser(
  ctx: AppContext,
  input: UserSelector,
  caller: AdminCaller = CLI_CALLER,
): Promise<UserRecord> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  let user: User | undefined;
  if (input.userId !== undefined) {
    user = await ctx.repos.users.findById(tenant.id, input.userId);
    if (!user) throw new AdminNotFound(`unknown user ${input.userId} in ${tenant.id}`);
  } else {
    const actor = requireActor(input.actor);
    user = input.username ? await ctx.repos.users.findByUsername(tenant.id, actor, input.username) : undefined;
    if (!user) throw new AdminNotFound(`unknown ${actor} ${input.username ?? ''} in ${tenant.id}`);
  }
  const record = await ctx.repos.users.findRecord(tenant.id, user.id);
  if (!record) throw new AdminNotFound(`unknown user ${user.id} in ${tenant.id}`);
  return record;
}

async function endGrants(repos: AppContext['repos'], userId: string, now: number): Promise<void> {
  await repos.sessions.deleteByUser(userId);
  await repos.refreshTokens.revokeFamilies({ userId }, now);
}

function requireActor(value: string | undefined): Actor {
  if (value !== 'user' && value !== 'customer') throw new AdminInputError('--actor must be user or customer', '/actor');
  return value;
}

function checkEmail(value: string | undefined): string | null {
  const email = value?.trim() || null;
  if (email !== null && (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
    throw new AdminInputError('--email is not an email address', '/email');
  return email;
}

/** At least 8 characters, not only white space (issue 12), at most 1000 (argon2 input bound). */
export function checkPassword(password: string | undefined): string {
  const value = password ?? '';
  if (value.length < MIN_PASSWORD_LENGTH)
    throw new AdminInputError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`, '/password');
  if (value.trim() === '') throw new AdminInputError('the password must not be only white space', '/password');
  if (value.length > 1000) throw new AdminInputError('the password must have at most 1000 characters', '/password');
  return value;
}
