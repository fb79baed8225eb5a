import type { AppContext } from '../context.js';
import type { ConsentMode } from '../protocol/model.js';
import type { ClientChanges } from '../store/clients.repository.js';
import { type AdminCaller, CLI_CALLER } from './caller.js';
import { commitChange } from './change.js';
import { checkRedirectUris, oneOf, refreshPolicy, type RefreshPolicyInput } from './client-input.js';
import { type ClientView, clientView, metadataView } from './client-views.js';
import { checkScopes, requireClient } from './clients.js';
import { AdminInputError } from './errors.js';
import { type ListInput, pageView, readPage } from './paging.js';
import { requireTenantRecord } from './tenants.js';

/** Longest overlap in which a replaced client secret still authenticates: 7 days. */
export const MAX_SECRET_OVERLAP_SECONDS = 604_800;

export async function listClients(
  ctx: AppContext,
  input: ListInput & { tenant?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ items: ClientView[]; next_cursor: string | null }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  return pageView(await ctx.repos.clientAdmin.listPage(tenant.id, readPage(input)), clientView);
}

export async function getClient(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<ClientView> {
  return clientView((await requireClient(ctx, input, caller)).client);
}

export async function getClientMetadataView(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<ReturnType<typeof metadataView>> {
  const { tenant, client } = await requireClient(ctx, input, caller);
  return metadataView(ctx.config.publicUrl, tenant, client);
}

export interface UpdateClientInput extends RefreshPolicyInput {
  tenant?: string;
  clientId?: string;
  name?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  consent?: string;
  enabled?: boolean;
}

/** Changes what an administrator may change; everything is validated before anything is written. */
export async function updateClient(
  ctx: AppContext,
  input: UpdateClientInput,
  caller: AdminCaller = CLI_CALLER,
): Promise<ClientView> {
  const { tenant, client } = await requireClient(ctx, input, caller);
  const name = input.name === undefined ? undefined : input.name.trim();
  if (name !== undefined && (!name || name.length > 200))
    throw new AdminInputError('--name must have 1 to 200 characters', '/name');
  const refreshGiven =
    input.refreshTokens !== undefined ||
    input.refreshAbsoluteTtlSeconds !== undefined ||
    input.refreshIdleTtlSeconds !== undefined ||
    input.refreshGraceSeconds !== undefined;
  const changes: ClientChanges = {
    ...(name !== undefined ? { name } : {}),
    ...(input.redirectUris !== undefined
      ? { redirectUris: checkRedirectUris(input.redirectUris, '--redirect-uri', '/redirect_uris', true) }
      : {}),
    ...(input.postLogoutRedirectUris !== undefined
      ? {
          postLogoutRedirectUris: checkRedirectUris(
            input.postLogoutRedirectUris,
            '--post-logout-redirect-uri',
            '/post_logout_redirect_uris',
            false,
          ),
        }
      : {}),
    ...(input.scopes !== undefined ? { scopes: await checkScopes(ctx, tenant.id, input.scopes, true) } : {}),
    ...(input.consent !== undefined
      ? { consentMode: oneOf<ConsentMode>(input.consent, ['required', 'skip'], '--consent', '/consent') }
      : {}),
    ...(refreshGiven ? { refreshTokens: refreshPolicy(client.refreshTokens, input, false) } : {}),
    ...(input.enabled !== undefined ? { disabled: !input.enabled } : {}),
  };
  const after = clientView({ ...client, ...changes });
  return commitChange(ctx, caller, async (repos) => {
    await repos.clientAdmin.update(client.clientId, changes);
    return {
      result: after,
      audit: {
        type: 'client.updated',
        tenantId: tenant.id,
        target: client.clientId,
        before: clientView(client),
        after,
      },
    };
  });
}

/** Deletes the client with its consents, codes and refresh tokens (its grants end at once). */
export async function deleteClient(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ client_id: string; deleted: true }> {
  const { tenant, client } = await requireClient(ctx, input, caller);
  const now = ctx.clock.nowSeconds();
  return commitChange(ctx, caller, async (repos) => {
    await repos.clientAdmin.delete(client.clientId, now);
    return {
      result: { client_id: client.clientId, deleted: true as const },
      audit: { type: 'client.deleted', tenantId: tenant.id, target: client.clientId, before: clientView(client) },
    };
  });
}

/**
 * Gives a web client a new secret, shown once. With an overlap, the replaced secret keeps
 * authenticating until then, so a deployment can switch without downtime.
 */
export async function rotateClientSecret(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string; overlapSeconds?: number | string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ client_id: string; client_secret: string; old_secret_expires_at: number | null }> {
  const { tenant, client } = await requireClient(ctx, input, caller);
  if (client.platform !== 'web' || client.secretHash === null)
    throw new AdminInputError(`client ${client.clientId} is a public client: it has no secret to rotate`, '/client_id');
  const raw = input.overlapSeconds ?? 0;
  const overlap = typeof raw === 'number' ? raw : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_SECRET_OVERLAP_SECONDS)
    throw new AdminInputError(
      `--overlap must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP_SECONDS}`,
      '/overlap_seconds',
    );
  const secret = ctx.random.token(32);
  const hash = await ctx.passwords.hash(secret);
  const expiresAt = overlap > 0 ? ctx.clock.nowSeconds() + overlap : null;
  return commitChange(ctx, caller, async (repos) => {
    await repos.clientAdmin.replaceSecret(client.clientId, hash, expiresAt);
    return {
      result: { client_id: client.clientId, client_secret: secret, old_secret_expires_at: expiresAt },
      audit: {
        type: 'client.secret-rotated',
        tenantId: tenant.id,
        target: client.clientId,
        detail: { overlap_seconds: overlap, old_secret_expires_at: expiresAt },
      },
    };
  });
}
