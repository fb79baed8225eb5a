import { type Actor, type Client, issuerFor, realmIdFor, type Tenant } from '../protocol/model.js';

/** The wire form of a client (API and CLI `--json`); never its secret or secret hash. */
export interface ClientView {
  readonly client_id: string;
  readonly tenant: string;
  readonly name: string;
  readonly platform: string;
  readonly resource_type: string;
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris: readonly string[];
  readonly scopes: readonly string[];
  readonly consent: string;
  readonly refresh_tokens: {
    readonly enabled: boolean;
    readonly absolute_ttl_seconds: number;
    readonly idle_ttl_seconds: number;
    readonly grace_seconds: number;
  };
  readonly enabled: boolean;
  readonly created_at: number;
}

export function clientView(client: Client & { createdAt: number }): ClientView {
  return {
    client_id: client.clientId,
    tenant: client.tenantId,
    name: client.name,
    platform: client.platform,
    resource_type: client.resourceType,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    scopes: client.scopes,
    consent: client.consentMode,
    refresh_tokens: {
      enabled: client.refreshTokens.enabled,
      absolute_ttl_seconds: client.refreshTokens.absoluteTtlSeconds,
      idle_ttl_seconds: client.refreshTokens.idleTtlSeconds,
      grace_seconds: client.refreshTokens.graceSeconds,
    },
    enabled: !client.disabled,
    created_at: client.createdAt,
  };
}

export interface RealmMetadataView {
  readonly realm: string;
  readonly actor: Actor;
  readonly issuer: string;
  readonly authorization_url: string;
  readonly token_url: string;
  readonly domain_url: string;
  readonly metadata_url: string;
}

/** The console's Metadata view: the four URLs an SPA developer needs, per realm the client serves. */
export function metadataView(
  publicUrl: string,
  tenant: Tenant,
  client: Client,
): { client_id: string; name: string; realms: RealmMetadataView[] } {
  const actors: Actor[] = client.resourceType === 'global' ? ['user', 'customer'] : [client.resourceType as Actor];
  return {
    client_id: client.clientId,
    name: client.name,
    realms: actors.map((actor) => {
      const realm = realmIdFor(tenant.id, actor);
      const issuer = issuerFor(publicUrl, realm);
      return {
        realm,
        actor,
        issuer,
        authorization_url: `${issuer}/oauth2/authorize`,
        token_url: `${issuer}/oauth2/token`,
        domain_url: tenant.apiDomain,
        metadata_url: `${issuer}/.well-known/openid-configuration`,
      };
    }),
  };
}
