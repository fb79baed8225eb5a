/** The admin API's resources (docs: admin-contract, field names as on the wire). */

export interface Page<T> {
  readonly items: T[];
  readonly next_cursor: string | null;
}

export interface Me {
  readonly id: string;
  readonly username: string;
  readonly role: 'operator' | 'tenant-admin';
  readonly tenants: string[];
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly api_domain: string;
  readonly created_at: number;
}

export interface Scope {
  readonly name: string;
  readonly description: string;
}

export type Platform = 'spa' | 'web';
export type ResourceType = 'user' | 'customer' | 'global';

export interface RefreshPolicy {
  readonly enabled: boolean;
  readonly absolute_ttl_seconds: number;
  readonly idle_ttl_seconds: number;
  readonly grace_seconds: number;
}

export interface Client {
  readonly client_id: string;
  readonly tenant: string;
  readonly name: string;
  readonly platform: Platform;
  readonly resource_type: ResourceType;
  readonly redirect_uris: string[];
  readonly post_logout_redirect_uris: string[];
  readonly scopes: string[];
  readonly consent: 'required' | 'skip';
  readonly refresh_tokens: RefreshPolicy;
  readonly enabled: boolean;
  readonly created_at: number;
}

export interface CreatedClient extends Client {
  readonly client_secret?: string;
}

export interface RotatedSecret {
  readonly client_secret: string;
  readonly old_secret_expires_at: number | null;
}

export interface RealmMetadata {
  readonly realm: string;
  readonly actor: string;
  readonly issuer: string;
  readonly authorization_url: string;
  readonly token_url: string;
  readonly domain_url: string;
  readonly metadata_url: string;
}

export interface ClientMetadata {
  readonly client_id: string;
  readonly name: string;
  readonly realms: RealmMetadata[];
}

export type Actor = 'user' | 'customer';

export interface User {
  readonly id: string;
  readonly tenant: string;
  readonly actor: Actor;
  readonly username: string;
  readonly email: string | null;
  readonly enabled: boolean;
  readonly created_at: number;
}

export interface Consent {
  readonly client_id: string;
  readonly client_name: string;
  readonly scopes: string[];
  readonly granted_at: number;
}

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly state: 'active' | 'retiring';
  readonly created_at: number;
  readonly retire_at: number | null;
}

export interface AuditEvent {
  readonly id: string;
  readonly at: number;
  readonly type: string;
  readonly tenant: string | null;
  readonly actor: { readonly kind: string; readonly id: string | null; readonly name: string | null };
  readonly target: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly detail: unknown;
}
