import type { AppContext } from '../context.js';
import { createAdministrator } from './administrators.js';
import { SYSTEM_TENANT_ID } from './caller.js';
import { createClient, type ClientMetadata } from './clients.js';
import { createScope, createTenant } from './tenants.js';
import { createUser } from './users.js';

/** The seed document's example values, so its URLs and curl work verbatim against the demo. */
export const DEMO = Object.freeze({
  tenantId: 'TMPRODB88619984',
  tenantName: 'Demo Tenant',
  apiDomain: 'http://localhost:8081',
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  clientName: 'Gatehouse Demo SPA',
  redirectUris: ['https://oauth.pstmn.io/v1/callback', 'http://localhost:5173/callback'],
  scopes: [
    { name: 'core.aiservices.read', description: 'Read answers from the AI services' },
    { name: 'core.aiservices.write', description: 'Create and change content in the AI services' },
  ],
  postLogoutRedirectUris: ['http://localhost:5173/'],
  /** A confidential client for the demo API's introspection calls (a fixed secret: demo only). */
  apiClient: {
    clientId: '5e1f0b7a-9c3d-4e2f-8a1b-2c3d4e5f6a7b',
    name: 'Gatehouse Demo API',
    secret: 'demo-api-introspection-secret',
  },
  agent: { username: 'agent', password: 'agent-demo-pass', email: 'agent@example.com' },
  customer: { username: 'customer', password: 'customer-demo-pass', email: 'customer@example.com' },
  /** An operator of the admin console (realm GATEHOUSE-U); demo only. */
  operator: { username: 'operator', password: 'operator-demo-pass' },
});

/**
 * Creates the demo tenant, scopes, client and users on an empty database, and the demo console
 * operator when there is no administrator yet; otherwise nothing.
 */
export async function seedDemo(ctx: AppContext): Promise<{ created: boolean; metadata?: ClientMetadata }> {
  // A database seeded before the console existed still gets its demo operator.
  if ((await ctx.repos.administrators.count()) === 0)
    await createAdministrator(ctx, { ...DEMO.operator, role: 'operator' });
  const tenants = (await ctx.repos.tenants.list()).filter((tenant) => tenant.id !== SYSTEM_TENANT_ID);
  if (tenants.length > 0) return { created: false };
  await createTenant(ctx, { id: DEMO.tenantId, name: DEMO.tenantName, apiDomain: DEMO.apiDomain });
  for (const scope of DEMO.scopes) await createScope(ctx, { tenant: DEMO.tenantId, ...scope });
  const { metadata } = await createClient(ctx, {
    tenant: DEMO.tenantId,
    name: DEMO.clientName,
    platform: 'spa',
    resourceType: 'global',
    redirectUris: [...DEMO.redirectUris],
    scopes: DEMO.scopes.map((scope) => scope.name),
    clientId: DEMO.clientId,
    postLogoutRedirectUris: [...DEMO.postLogoutRedirectUris],
    // The SPA SDK pins ES256 ID Tokens (packages/spa/src/client.ts).
    idTokenAlg: 'ES256',
  });
  await createClient(ctx, {
    tenant: DEMO.tenantId,
    name: DEMO.apiClient.name,
    platform: 'web',
    resourceType: 'global',
    redirectUris: ['http://localhost:8081/unused'],
    scopes: [],
    allowNoScopes: true,
    clientId: DEMO.apiClient.clientId,
    clientSecret: DEMO.apiClient.secret,
  });
  await createUser(ctx, { tenant: DEMO.tenantId, actor: 'user', ...DEMO.agent });
  await createUser(ctx, { tenant: DEMO.tenantId, actor: 'customer', ...DEMO.customer });
  return { created: true, metadata };
}
