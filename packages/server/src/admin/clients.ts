import type { AppContext } from '../context.js';
import {
  DEFAULT_REFRESH_POLICY,
  ID_TOKEN_SIGNING_ALGS,
  type IdTokenSigningAlg,
  issuerFor,
  realmIdFor,
  type Actor,
  type Client,
  type ConsentMode,
  type Platform,
  type RefreshTokenPolicy,
  type ResourceType,
  type Tenant,
} from '../protocol/model.js';
import { redirectUriRejection } from '../protocol/redirect-uri-policy.js';
import { AdminInputError } from './errors.js';
import { requireTenant } from './tenants.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CreateClientInput {
  tenant?: string;
  name?: string;
  platform?: string;
  resourceType?: string;
  redirectUris?: string[];
  scopes?: string[];
  clientId?: string;
  consent?: string;
  postLogoutRedirectUris?: string[];
  /** `on` or `off`; default on for spa, off for web. */
  refreshTokens?: string;
  refreshAbsoluteTtlSeconds?: string | number;
  refreshIdleTtlSeconds?: string | number;
  refreshGraceSeconds?: string | number;
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
): Promise<{ client: Client; secret?: string; metadata: ClientMetadata }> {
  const tenant = await requireTenant(ctx, input.tenant);
  const name = (input.name ?? '').trim();
  if (!name) throw new AdminInputError('--name is required');
  const platform = oneOf<Platform>(input.platform, ['spa', 'web'], '--platform');
  const resourceType = oneOf<ResourceType>(input.resourceType, ['user', 'customer', 'global'], '--resource-type');
  const consentMode = oneOf<ConsentMode>(input.consent ?? 'required', ['required', 'skip'], '--consent');
  const redirectUris = [...new Set(input.redirectUris ?? [])];
  if (redirectUris.length === 0) throw new AdminInputError('at least one --redirect-uri is required');
  for (const uri of redirectUris) {
    const reason = redirectUriRejection(uri);
    if (reason) throw new AdminInputError(`--redirect-uri ${uri} ${reason}`);
  }
  const postLogoutRedirectUris = [...new Set(input.postLogoutRedirectUris ?? [])];
  for (const uri of postLogoutRedirectUris) {
    const reason = redirectUriRejection(uri);
    if (reason) throw new AdminInputError(`--post-logout-redirect-uri ${uri} ${reason}`);
  }
  const refreshTokens = refreshPolicy(platform, input);
  const idTokenSigningAlg = oneOf<IdTokenSigningAlg>(
    input.idTokenAlg ?? 'RS256',
    ID_TOKEN_SIGNING_ALGS,
    '--id-token-alg',
  );
  const scopes = [...new Set(input.scopes ?? [])];
  const catalogue = new Set((await ctx.repos.tenants.listScopes(tenant.id)).map((scope) => scope.name));
  const unknown = scopes.filter((scope) => !catalogue.has(scope));
  if (unknown.length > 0)
    throw new AdminInputError(
      `unknown scope ${unknown.join(', ')} in tenant ${tenant.id} (create it with: gatehouse scope create)`,
    );
  const clientId = input.clientId ?? ctx.random.uuid();
  if (!UUID.test(clientId)) throw new AdminInputError('--client-id must be a lower-case UUID');
  if (await ctx.repos.clients.findById(clientId)) throw new AdminInputError(`client ${clientId} already exists`);

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
  await ctx.repos.clients.insert(client, ctx.clock.nowSeconds());
  return { client, ...(secret ? { secret } : {}), metadata: clientMetadata(ctx.config.publicUrl, tenant, client) };
}

export async function getClientMetadata(
  ctx: AppContext,
  input: { tenant?: string; clientId?: string },
): Promise<ClientMetadata> {
  const tenant = await requireTenant(ctx, input.tenant);
  const client = input.clientId ? await ctx.repos.clients.findById(input.clientId) : undefined;
  if (!client || client.tenantId !== tenant.id)
    throw new AdminInputError(`unknown client ${input.clientId ?? ''} in tenant ${tenant.id}`);
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
): Promise<{ client_id: string; disabled: boolean }> {
  const tenant = await requireTenant(ctx, input.tenant);
  const client = input.clientId ? await ctx.repos.clients.findById(input.clientId) : undefined;
  if (!client || client.tenantId !== tenant.id)
    throw new AdminInputError(`unknown client ${input.clientId ?? ''} in tenant ${tenant.id}`);
  await ctx.repos.clients.setDisabled(client.clientId, disabled);
  return { client_id: client.clientId, disabled };
}

function refreshPolicy(platform: Platform, input: CreateClientInput): RefreshTokenPolicy {
  const defaults = DEFAULT_REFRESH_POLICY[platform];
  const enabled =
    input.refreshTokens === undefined
      ? defaults.enabled
      : oneOf(input.refreshTokens, ['on', 'off'], '--refresh-tokens') === 'on';
  const seconds = (value: string | number | undefined, fallback: number, flag: string, min: number): number => {
    if (value === undefined) return fallback;
    const parsed = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < min || parsed > 31_536_000)
      throw new AdminInputError(`${flag} must be a whole number of seconds from ${min} to 31536000`);
    return parsed;
  };
  const absoluteTtlSeconds = seconds(
    input.refreshAbsoluteTtlSeconds,
    defaults.absoluteTtlSeconds,
    '--refresh-absolute-ttl',
    60,
  );
  const idleTtlSeconds = seconds(
    input.refreshIdleTtlSeconds,
    Math.min(defaults.idleTtlSeconds, absoluteTtlSeconds),
    '--refresh-idle-ttl',
    60,
  );
  const graceSeconds = seconds(input.refreshGraceSeconds, defaults.graceSeconds, '--refresh-grace', 0);
  if (idleTtlSeconds > absoluteTtlSeconds)
    throw new AdminInputError('--refresh-idle-ttl must not exceed --refresh-absolute-ttl');
  if (graceSeconds > 60) throw new AdminInputError('--refresh-grace must be at most 60 seconds');
  return { enabled, absoluteTtlSeconds, idleTtlSeconds, graceSeconds };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value))
    throw new AdminInputError(`${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}
