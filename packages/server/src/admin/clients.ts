import type { AppContext } from '../context.js';
import {
  ID_TOKEN_SIGNING_ALGS,
  type IdTokenSigningAlg,
  issuerFor,
  realmIdFor,
  type Actor,
  type Client,
  type ConsentMode,
  type Platform,
  type ResourceType,
  type Tenant,
} from '../protocol/model.js';
import type { ClientRecord } from '../store/clients.repository.js';
import { type AdminCaller, CLI_CALLER } from './caller.js';
import { commitChange } from './change.js';
import {
  checkRedirectUris,
  defaultRefreshPolicy,
  oneOf,
  refreshPolicy,
  type RefreshPolicyInput,
} from './client-input.js';
import { clientView } from './client-views.js';
import { AdminConflict, AdminInputError, AdminNotFound } from './errors.js';
import { requireTenantRecord } from './tenants.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CreateClientInput extends RefreshPolicyInput {
  tenant?: string;
  name?: string;
  platform?: string;
  resourceType?: string;
  redirectUris?: string[];
  scopes?: string[];
  clientId?: string;
  consent?: string;
  postLogoutRedirectUris?: string[];
  /** A client with no scope must say so (issue 12): `--no-scopes`, or `scopes: []` in the API. */
  allowNoScopes?: boolean;
  /** `RS256` (default, OIDC Dynamic Client Registration §2) or `ES256`: how its ID Tokens are signed. */
  idTokenAlg?: string;
  /** Only for seeding the demo: a known secret instead of a generated one. */
  clientSecret?: string;
}

export interface RealmMetadata {
  readonly realm: string;
  readonly issuer: string;
  readonly authorization_url: string;
  readonly token_url: string;
  readonly domain_url: string;
  readonly metadata_url: string;
}

/** What the operator's console shows for a client: the URLs an SPA developer needs, per realm. */
export interface ClientMetadata {
  readonly client_id: string;
  readonly tenant: string;
  readonly name: string;
  readonly platform: Platform;
  readonly resource_type: ResourceType;
  readonly redirect_uris: readonly string[];
  readonly scopes: readonly string[];
  readonly consent: ConsentMode;
  readonly id_token_signed_response_alg: IdTokenSigningAlg;
  readonly post_logout_redirect_uris: readonly string[];
  readonly refresh_tokens: {
    readonly enabled: boolean;
    readonly absolute_ttl_seconds: number;
    readonly idle_ttl_seconds: number;
    readonly grace_seconds: number;
  };
  readonly realms: { readonly user?: RealmMetadata; readonly customer?: RealmMetadata };
}

/**
 * Registers a client application. Everything is validated before anything is written; a `web`
 * (confidential) client gets a secret that is returned once and stored only as argon2id.
 */
export async function createClient(
  ctx: AppContext,
  input: CreateClientInput,
  caller: AdminCaller = CLI_CALLER,
): Promise<{ client: Client; secret?: string; metadata: ClientMetadata }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  const name = (input.name ?? '').trim();
  if (!name) throw new AdminInputError('--name is required', '/name');
  const platform = oneOf<Platform>(input.platform, ['spa', 'web'], '--platform', '/platform');
  const resourceType = oneOf<ResourceType>(
    input.resourceType,
    ['user', 'customer', 'global'],
    '--resource-type',
    '/resource_type',
  );
  const consentMode = oneOf<ConsentMode>(input.consent ?? 'required', ['required', 'skip'], '--consent', '/consent');
  const redirectUris = checkRedirectUris(input.redirectUris, '--redirect-uri', '/redirect_uris', true);
  const postLogoutRedirectUris = checkRedirectUris(
    input.postLogoutRedirectUris,
    '--post-logout-redirect-uri',
    '/post_logout_redirect_uris',
    false,
  );
  const refreshTokens = refreshPolicy(defaultRefreshPolicy(platform), input, true);
  const scopes = await checkScopes(ctx, tenant.id, input.scopes ?? [], input.allowNoScopes === true);
  const idTokenSigningAlg = oneOf<IdTokenSigningAlg>(
    input.idTokenAlg ?? 'RS256',
    ID_TOKEN_SIGNING_ALGS,
    '--id-token-alg',
    '/id_token_signed_response_alg',
  );
  const clientId = input.clientId ?? ctx.random.uuid();
  if (!UUID.test(clientId)) throw new AdminInputError('--client-id must be a lower-case UUID', '/client_id');
  if (await ctx.repos.clients.findById(clientId))
    throw new AdminConflict(`client ${clientId} already exists`, '/client_id');

  const secret = platform === 'web' ? (input.clientSecret ?? ctx.random.token(32)) : undefined;
  const client: Client = {
    clientId,
    tenantId: tenant.id,
    name,
    platform,
    resourceType,
    redirectUris,
    scopes,
    consentMode,
    secretHash: secret ? await ctx.passwords.hash(secret) : null,
    postLogoutRedirectUris,
    refreshTokens,
    idTokenSigningAlg,
    disabled: false,
  };
  const now = ctx.clock.nowSeconds();
  await commitChange(ctx, caller, async (repos) => {
    await repos.clients.insert(client, now);
    return {
      result: undefined,
      audit: {
        type: 'client.created',
        tenantId: tenant.id,
        target: clientId,
        after: clientView({ ...client, createdAt: now }),
      },
    };
  });
  return { client, ...(secret ? { secret } : {}), metadata: clientMetadata(ctx.config.publicUrl, tenant, client) };
}

/** Scopes a client may hold: defined in the tenant; none only when the caller says so. */
export async function checkScopes(
  ctx: AppContext,
  tenantId: string,
  requested: readonly string[],
  allowNone: boolean,
): Promise<string[]> {
  const scopes = [...new Set(requested)];
  if (scopes.length === 0 && !allowNone)
    throw new AdminInputError(
      'at least one --scope is required (or --no-scopes for a client that only calls introspection)',
      '/scopes',
    );
  const catalogue = new Set((await ctx.repos.tenants.listScopes(tenantId)).map((scope) => scope.name));
  const unknown = scopes.filter((scope) => !catalogue.has(scope));
  if (unknown.length > 0)
    throw new AdminInputError(
      `unknown scope ${unknown.join(', ')} in tenant ${tenantId} (create it with: gatehouse scope create)`,
      `/scopes/${requested.indexOf(unknown[0]!)}`,
    );
  return scopes;
}

export async function getClientMetadata(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<ClientMetadata> {
  const { tenant, client } = await requireClient(ctx, input, caller);
  return clientMetadata(ctx.config.publicUrl, tenant, client);
}

export function clientMetadata(publicUrl: string, tenant: Tenant, client: Client): ClientMetadata {
  const realmMetadata = (actor: Actor): RealmMetadata => {
    const realm = realmIdFor(tenant.id, actor);
    const issuer = issuerFor(publicUrl, realm);
    return {
      realm,
      issuer,
      authorization_url: `${issuer}/oauth2/authorize`,
      token_url: `${issuer}/oauth2/token`,
      domain_url: tenant.apiDomain,
      metadata_url: `${issuer}/.well-known/openid-configuration`,
    };
  };
  return {
    client_id: client.clientId,
    tenant: tenant.id,
    name: client.name,
    platform: client.platform,
    resource_type: client.resourceType,
    redirect_uris: client.redirectUris,
    scopes: client.scopes,
    consent: client.consentMode,
    id_token_signed_response_alg: client.idTokenSigningAlg,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    refresh_tokens: {
      enabled: client.refreshTokens.enabled,
      absolute_ttl_seconds: client.refreshTokens.absoluteTtlSeconds,
      idle_ttl_seconds: client.refreshTokens.idleTtlSeconds,
      grace_seconds: client.refreshTokens.graceSeconds,
    },
    realms: {
      ...(client.resourceType !== 'customer' ? { user: realmMetadata('user') } : {}),
      ...(client.resourceType !== 'user' ? { customer: realmMetadata('customer') } : {}),
    },
  };
}

/** Disabling a client stops its sign-ins and every grant it holds; enabling lets new ones start. */
export async function setClientDisabled(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string },
  disabled: boolean,
  caller: AdminCaller = CLI_CALLER,
): Promise<{ client_id: string; disabled: boolean }> {
  const { tenant, client } = await requireClient(ctx, input, caller);
  await commitChange(ctx, caller, async (repos) => {
    await repos.clientAdmin.update(client.clientId, { disabled });
    return {
      result: undefined,
      audit: {
        type: disabled ? 'client.disabled' : 'client.enabled',
        tenantId: tenant.id,
        target: client.clientId,
        before: { enabled: !client.disabled },
        after: { enabled: !disabled },
      },
    };
  });
  return { client_id: client.clientId, disabled };
}

/** The client, if it exists in a tenant the caller may see; otherwise the same not-found answer. */
export async function requireClient(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string },
  caller: AdminCaller = CLI_CALLER,
): Promise<{ tenant: Tenant; client: ClientRecord }> {
  const tenant = await requireTenantRecord(ctx, input.tenant, caller);
  if (!input.clientId) throw new AdminInputError('--client-id is required', '/client_id');
  const client = await ctx.repos.clientAdmin.find(tenant.id, input.clientId);
  if (!client) throw new AdminNotFound(`unknown client ${input.clientId} in tenant ${tenant.id}`);
  return { tenant, client };
}
