import type { FastifyRequest } from 'fastify';
import { issuerFor, parseRealmId, type Realm, type Tenant } from '../protocol/model.js';
import type { AppContext } from '../context.js';

export class UnknownRealm extends Error {}

/** The realm named in the path (`/system/auth/{TENANT}-{U|C}/...`) and its tenant. */
export async function resolveRealm(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<{ realm: Realm; tenant: Tenant }> {
  const realmId = (request.params as { realm?: string }).realm ?? '';
  const parsed = parseRealmId(realmId);
  const tenant = parsed && (await ctx.repos.tenants.findById(parsed.tenantId));
  if (!parsed || !tenant) throw new UnknownRealm(realmId);
  return {
    realm: {
      id: realmId,
      tenantId: parsed.tenantId,
      actor: parsed.actor,
      issuer: issuerFor(ctx.config.publicUrl, realmId),
    },
    tenant,
  };
}

/** Cookies are scoped to the realm's path so each realm has its own session. */
export function realmCookiePath(realm: Realm): string {
  return `${new URL(realm.issuer).pathname}/`;
}

export function cookiesSecure(ctx: AppContext): boolean {
  return ctx.config.publicUrl.startsWith('https:');
}
