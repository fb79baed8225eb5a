import type { AppContext } from '../http/context.js';
import type { Actor, User } from '../protocol/model.js';
import { AdminInputError } from './errors.js';
import { requireTenant } from './tenants.js';

export const MIN_PASSWORD_LENGTH = 8;

export async function createUser(
  ctx: AppContext,
  input: { tenant?: string; actor?: string; username?: string; email?: string; password?: string },
): Promise<Omit<User, 'passwordHash'>> {
  const tenant = await requireTenant(ctx, input.tenant);
  if (input.actor !== 'user' && input.actor !== 'customer') throw new AdminInputError('--actor must be user or customer');
  const actor: Actor = input.actor;
  const username = (input.username ?? '').trim();
  if (!username || username.length > 200 || /[\s\x00-\x1f]/.test(username)) throw new AdminInputError('--username is required (no spaces, at most 200 characters)');
  const email = input.email?.trim() || null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AdminInputError('--email is not an email address');
  const password = input.password ?? '';
  if (password.length < MIN_PASSWORD_LENGTH) throw new AdminInputError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (await ctx.repos.users.findByUsername(tenant.id, actor, username)) throw new AdminInputError(`user ${username} already exists in ${tenant.id} (${actor})`);
  const user: User = { id: ctx.random.uuid(), tenantId: tenant.id, actor, username, email, passwordHash: await ctx.passwords.hash(password), disabled: false };
  await ctx.repos.users.insert(user, ctx.clock.nowSeconds());
  const { passwordHash: _omitted, ...visible } = user;
  return visible;
}
