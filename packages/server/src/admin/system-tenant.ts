import type { AppContext } from '../context.js';
import { DEFAULT_REFRESH_POLICY, type Client } from '../protocol/model.js';
import { ADMIN_SCOPE, CONSOLE_CLIENT_ID, SYSTEM_TENANT_ID } from './caller.js';

/** The audience of access tokens for the admin API (the GATEHOUSE tenant's API domain). */
export function adminApiAudience(publicUrl: string): string {
  return `${publicUrl}/admin/api`;
}

/**
 * Makes sure the reserved GATEHOUSE tenant exists with its `gatehouse.admin` scope and the
 * built-in `gatehouse-console` public client, all pointing at the current public URL (so a
 * changed public URL moves the console with it). Gatehouse protects its admin API with itself.
 */
export async function ensureSystemTenant(ctx: AppContext): Promise<void> {
  const publicUrl = ctx.config.publicUrl;
  const now = ctx.clock.nowSeconds();
  const audience = adminApiAudience(publicUrl);
  await ctx.transaction(async (repos) => {
    const tenant = await repos.tenants.findById(SYSTEM_TENANT_ID);
    if (!tenant)
      await repos.tenants.insert({ id: SYSTEM_TENANT_ID, name: 'Gatehouse administration', apiDomain: audience }, now);
    else if (tenant.apiDomain !== audience) await repos.tenants.update(SYSTEM_TENANT_ID, { apiDomain: audience });
    if (!(await repos.tenants.findScope(SYSTEM_TENANT_ID, ADMIN_SCOPE)))
      await repos.tenants.insertScope(
        SYSTEM_TENANT_ID,
        { name: ADMIN_SCOPE, description: 'Administer Gatehouse: tenants, clients, users and keys' },
        now,
      );
    const redirectUris = [`${publicUrl}/admin/callback`];
    const postLogoutRedirectUris = [`${publicUrl}/admin/`];
    const existing = await repos.clients.findById(CONSOLE_CLIENT_ID);
    if (!existing) {
      const consoleClient: Client = {
        clientId: CONSOLE_CLIENT_ID,
        tenantId: SYSTEM_TENANT_ID,
        name: 'Gatehouse console',
        platform: 'spa',
        resourceType: 'user',
        // The console's SPA SDK pins ES256 ID Tokens (packages/spa/src/client.ts).
        idTokenSigningAlg: 'ES256',
        redirectUris,
        scopes: [ADMIN_SCOPE],
        // First party: administrators are not asked to consent to the console itself.
        consentMode: 'skip',
        secretHash: null,
        postLogoutRedirectUris,
        refreshTokens: DEFAULT_REFRESH_POLICY.spa,
        disabled: false,
      };
      await repos.clients.insert(consoleClient, now);
    } else if (
      existing.redirectUris[0] !== redirectUris[0] ||
      existing.postLogoutRedirectUris[0] !== postLogoutRedirectUris[0]
    ) {
      await repos.clientAdmin.update(CONSOLE_CLIENT_ID, { redirectUris, postLogoutRedirectUris });
    }
  });
  await ctx.keys.ensureKey(SYSTEM_TENANT_ID);
}
