import type { AppContext } from '../context.js';
import type { Repositories } from '../store/repositories.js';
import type { AuditEventInput } from './audit.js';
import type { AdminCaller } from './caller.js';

/**
 * Runs an admin change and writes its audit event in the same transaction, so a change is never
 * without its record and a failed change leaves none. The log line follows the commit.
 */
export async function commitChange<T>(
  ctx: AppContext,
  caller: AdminCaller,
  work: (repos: Repositories) => Promise<{ result: T; audit: Omit<AuditEventInput, 'actor'> }>,
): Promise<T> {
  let flush: () => void = () => {};
  const result = await ctx.transaction(async (repos) => {
    const done = await work(repos);
    flush = await ctx.audit.write(repos, { ...done.audit, actor: caller.actor });
    return done.result;
  });
  flush();
  return result;
}
