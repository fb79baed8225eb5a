import type { AppContext } from '../context.js';
import type { Actor, User } from '../protocol/model.js';
import { AdminInputError } from './errors.js';
import { requireTenant } from './tenants.js';

export const MIN_PASSWORD_LENGTH = 8;

export async function createUser(
  ctx: AppContext,
  input: { tenant?: string; actor?: string; username?: string; email?: string; password?: string },
): Promise<Omit<User, 'passwordHash'>> {
  const tenant = await requireTenant(ctx, input.tenant);
  if (input.actor !== 'user' && input.actor !== 'customer')
    throw new AdminInputError('--actor must be user or customer');
  const actor: Actor = input.actor;
  const username = (input.username ?? '').trim();
  if (!username || username.length > 200 || /[\s\p{Cc}]/u.test(username))
    throw new AdminInputError('--username is required (no spaces, at most 200 characters)');
  const email = input.email?.trim() || null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new AdminInputError('--email is not an email address');
  const password = checkPassword(input.password);
  if (await ctx.repos.users.findByUsername(tenant.id, actor, username))
    throw new AdminInputError(`user ${username} already exists in ${tenant.id} (${actor})`);
  const user: User = {
    id: ctx.random.uuid(),
    tenantId: tenant.id,
    actor,
    username,
    email,
    passwordHash: await ctx.passwords.hash(password),
    disabled: false,
    passwordChangedAt: ctx.clock.nowSeconds(),
  };
  await ctx.repos.users.insert(user, ctx.clock.nowSeconds());
  const { passwordHash: _omitted, ...visible } = user;
  return visible;
}

function checkPassword(password: string | undefined): string {
  if ((password ?? '').length < MIN_PASSWORD_LENGTH)
    throw new AdminInputError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  return password!;
}

async function requireUser(
  ctx: AppContext,
  input: { tenant?: string; actor?: string; username?: string },
): Promise<User> {
  const tenant = await requireTenant(ctx, input.tenant);
  if (input.actor !== 'user' && input.actor !== 'customer')
    throw new AdminInputError('--actor must be user or customer');
  const user = input.username
    ? await ctx.repos.users.findByUsername(tenant.id, input.actor, input.username)
    : undefined;
  if (!user) throw new AdminInputError(`unknown ${input.actor} ${input.username ?? ''} in ${tenant.id}`);
  return user;
}

/** Disabling a person ends their sessions; their grants stop at the next refresh (invalid_grant). */
export async function setUserDisabled(
  ctx: AppContext,
  input: { tenant?: string; actor?: string; username?: string },
  disabled: boolean,
): Promise<{ id: string; disabled: boolean }> {
  const user = await requireUser(ctx, input);
  await ctx.repos.users.setDisabled(user.tenantId, user.id, disabled);
  if (disabled) {
    await ctx.repos.sessions.deleteByUser(user.id);
    await ctx.repos.refreshTokens.revokeFamilies({ userId: user.id }, ctx.clock.nowSeconds());
  }
  return { id: user.id, disabled };
}

/** A new password ends every session and every refresh-token family of the person. */
export async function setUserPassword(
  ctx: AppContext,
  input: { tenant?: string; actor?: string; username?: string; password?: string },
): Promise<{ id: string }> {
  const user = await requireUser(ctx, input);
  const password = checkPassword(input.password);
  const now = ctx.clock.nowSeconds();
  await ctx.repos.users.setPasswordHash(user.tenantId, user.id, await ctx.passwords.hash(password), now);
  await ctx.repos.sessions.deleteByUser(user.id);
  await ctx.repos.refreshTokens.revokeFamilies({ userId: user.id }, now);
  return { id: user.id };
}

/** Withdraws a person's consent for a client, with every grant it was the basis of. */
export async function revokeConsent(
  ctx: AppContext,
  input: { tenant?: string; actor?: string; username?: string; clientId?: string },
): Promise<{ id: string; client_id: string }> {
  const user = await requireUser(ctx, input);
  if (!input.clientId) throw new AdminInputError('--client-id is required');
  const client = await ctx.repos.clients.findById(input.clientId);
  if (!client || client.tenantId !== user.tenantId)
    throw new AdminInputError(`unknown client ${input.clientId} in tenant ${user.tenantId}`);
  await ctx.repos.consents.revoke(user.id, input.clientId);
  await ctx.repos.refreshTokens.revokeFamilies({ userId: user.id, clientId: input.clientId }, ctx.clock.nowSeconds());
  return { id: user.id, client_id: input.clientId };
}
