/**
 * Kysely table types. Columns are snake_case; times are seconds since the epoch (bigint on
 * PostgreSQL, parsed back to numbers); booleans are 0/1 integers so both dialects agree;
 * lists (redirect URIs, scopes) are stored as JSON text or space-separated scope strings.
 */
import type { Generated } from 'kysely';

export interface TenantTable {
  id: string;
  name: string;
  api_domain: string;
  created_at: number;
}

export interface ScopeTable {
  tenant_id: string;
  name: string;
  description: string;
  created_at: number;
}

export interface ClientTable {
  client_id: string;
  tenant_id: string;
  name: string;
  platform: string;
  resource_type: string;
  redirect_uris: string;
  scopes: string;
  consent_mode: string;
  secret_hash: string | null;
  disabled: number;
  created_at: number;
  refresh_tokens: number;
  refresh_absolute_ttl_seconds: number;
  refresh_idle_ttl_seconds: number;
  refresh_grace_seconds: number;
  post_logout_redirect_uris: string;
  /** During a secret rotation's overlap: the replaced secret's hash, accepted until the time below. */
  previous_secret_hash: string | null;
  previous_secret_expires_at: number | null;
  id_token_signing_alg: string;
}

export interface UserTable {
  id: string;
  tenant_id: string;
  actor: string;
  username: string;
  email: string | null;
  password_hash: string;
  disabled: number;
  created_at: number;
  password_changed_at: number;
}

export interface SessionTable {
  id_hash: string;
  realm_id: string;
  tenant_id: string;
  user_id: string;
  auth_time: number;
  expires_at: number;
  created_at: number;
}

export interface PendingAuthorizationTable {
  id: string;
  realm_id: string;
  tenant_id: string;
  browser_hash: string;
  csrf_token: string;
  client_id: string;
  redirect_uri: string;
  scope: string;
  state: string | null;
  code_challenge: string;
  nonce: string | null;
  user_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  login_hint?: string | null;
  ui_locales?: string | null;
}

export interface ConsentTable {
  tenant_id: string;
  realm_id: string;
  user_id: string;
  client_id: string;
  scope: string;
  updated_at: number;
}

export interface AuthorizationCodeTable {
  code_hash: string;
  realm_id: string;
  tenant_id: string;
  client_id: string;
  user_id: string;
  session_id: string | null;
  redirect_uri: string;
  scope: string;
  code_challenge: string;
  nonce: string | null;
  auth_time: number;
  expires_at: number;
  consumed_at: number | null;
  access_token_jti: string | null;
  created_at: number;
}

export interface RevokedAccessTokenTable {
  jti: string;
  realm_id: string;
  expires_at: number;
}

export interface SigningKeyTable {
  kid: string;
  tenant_id: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  /** Set when a newer key takes over: the key stays published until then. */
  retire_at: number | null;
}

export interface LoginFailureTable {
  realm_id: string;
  username_key: string;
  failures: number;
  window_start: number;
}

export interface RefreshTokenTable {
  token_hash: string;
  family_id: string;
  realm_id: string;
  tenant_id: string;
  client_id: string;
  user_id: string;
  session_id: string | null;
  code_hash: string | null;
  scope: string;
  auth_time: number;
  family_created_at: number;
  family_expires_at: number;
  idle_expires_at: number;
  created_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
  access_token_jti: string | null;
  access_token_expires_at: number | null;
  /** With a grace window: the successor's token response, sealed with a key only the old token gives. */
  successor_sealed: string | null;
}

export interface AuditEventTable {
  id: string;
  at: number;
  type: string;
  tenant_id: string | null;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  target: string | null;
  /** JSON snapshots; secrets are never part of them. */
  before_json: string | null;
  after_json: string | null;
  detail_json: string | null;
}

export interface AdministratorTable {
  /** The administrator's user id in the GATEHOUSE-U realm. */
  user_id: string;
  role: string;
  /** JSON list of tenant ids (tenant-admin only). */
  tenants: string;
  created_at: number;
}

export interface AdminApiKeyTable {
  id: string;
  name: string;
  /** SHA-256 of the key (a 256-bit random secret, so a fast hash suffices). */
  key_hash: string;
  role: string;
  tenants: string;
  created_at: number;
  revoked_at: number | null;
}

export interface SettingTable {
  name: string;
  value: string;
  updated_at: number;
}

/** Issue 11: how a tenant's pages look (null = the default look). */
export interface TenantBrandingTable {
  tenant_id: string;
  display_name: string | null;
  logo_url: string | null;
  primary_color: string | null;
  updated_at: number;
}

export interface Database {
  tenants: TenantTable;
  scopes: ScopeTable;
  clients: ClientTable;
  users: UserTable;
  sessions: SessionTable;
  pending_authorizations: PendingAuthorizationTable;
  consents: ConsentTable;
  authorization_codes: AuthorizationCodeTable;
  revoked_access_tokens: RevokedAccessTokenTable;
  signing_keys: SigningKeyTable;
  login_failures: LoginFailureTable;
  refresh_tokens: RefreshTokenTable;
  audit_events: AuditEventTable;
  administrators: AdministratorTable;
  admin_api_keys: AdminApiKeyTable;
  settings: SettingTable;
  tenant_branding: TenantBrandingTable;
}

export type { Generated };
