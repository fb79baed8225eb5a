/**
 * The admin API's JSON schemas: one per body, used by Fastify to validate requests and by
 * openapi.ts to describe them, so the document cannot drift from what is enforced. Response
 * schemas are documentation only (responses are built by the admin functions' views).
 */

export type JsonSchema = Record<string, unknown>;

const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
const int = (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra });
const bool: JsonSchema = { type: 'boolean' };
const uriList = (min: number): JsonSchema => ({
  type: 'array',
  items: str({ minLength: 1, maxLength: 2000 }),
  minItems: min,
  maxItems: 50,
});
const scopeList: JsonSchema = { type: 'array', items: str({ minLength: 1, maxLength: 200 }), maxItems: 100 };
const epoch = int({ minimum: 0, description: 'seconds since the epoch' });
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

export const TENANT_ID_PATTERN = '^[A-Z0-9]{1,64}$';

export const tenant = object({ id: str(), name: str(), api_domain: str({ format: 'uri' }), created_at: epoch }, [
  'id',
  'name',
  'api_domain',
  'created_at',
]);
export const tenantCreate = object(
  {
    id: str({ pattern: TENANT_ID_PATTERN, description: 'upper-case letters and digits' }),
    name: str({ minLength: 1, maxLength: 200 }),
    api_domain: str({ minLength: 1, maxLength: 2000, description: "absolute http(s) URL: the tokens' audience" }),
  },
  ['id', 'name', 'api_domain'],
);
export const tenantPatch = object({
  name: str({ minLength: 1, maxLength: 200 }),
  api_domain: str({ minLength: 1, maxLength: 2000 }),
});

/** Issue 11: how a tenant's pages look; null or "" clears a field. */
export const branding = object(
  {
    tenant: str(),
    display_name: { type: ['string', 'null'] },
    logo_url: { type: ['string', 'null'] },
    primary_color: { type: ['string', 'null'] },
  },
  ['tenant', 'display_name', 'logo_url', 'primary_color'],
);
export const brandingPatch = object({
  display_name: { type: ['string', 'null'], maxLength: 120 },
  logo_url: { type: ['string', 'null'], maxLength: 2048, description: 'https URL' },
  primary_color: {
    type: ['string', 'null'],
    maxLength: 7,
    description: '#RRGGBB with at least 3:1 contrast on white (WCAG 2.1 SC 1.4.11)',
  },
});

export const scope = object({ tenant: str(), name: str(), description: str(), created_at: epoch }, [
  'name',
  'description',
]);
export const scopeCreate = object(
  { name: str({ minLength: 1, maxLength: 200 }), description: str({ minLength: 1, maxLength: 500 }) },
  ['name', 'description'],
);
export const scopePatch = object({ description: str({ minLength: 1, maxLength: 500 }) }, ['description']);

const refreshTokens = object({
  enabled: bool,
  absolute_ttl_seconds: int({ minimum: 60, maximum: 31_536_000 }),
  idle_ttl_seconds: int({ minimum: 60, maximum: 31_536_000 }),
  grace_seconds: int({ minimum: 0, maximum: 60 }),
});
export const client = object(
  {
    client_id: str(),
    tenant: str(),
    name: str(),
    platform: str({ enum: ['spa', 'web'] }),
    resource_type: str({ enum: ['user', 'customer', 'global'] }),
    redirect_uris: uriList(1),
    post_logout_redirect_uris: uriList(0),
    scopes: scopeList,
    consent: str({ enum: ['required', 'skip'] }),
    refresh_tokens: refreshTokens,
    enabled: bool,
    created_at: epoch,
  },
  ['client_id', 'tenant', 'name', 'platform', 'resource_type', 'redirect_uris', 'scopes', 'consent', 'enabled'],
);
export const clientCreate = object(
  {
    name: str({ minLength: 1, maxLength: 200 }),
    platform: str({ enum: ['spa', 'web'] }),
    resource_type: str({ enum: ['user', 'customer', 'global'] }),
    redirect_uris: uriList(1),
    post_logout_redirect_uris: uriList(0),
    scopes: { ...scopeList, description: 'an empty list is allowed (a client that only introspects)' },
    consent: str({ enum: ['required', 'skip'], default: 'required' }),
    refresh_tokens: refreshTokens,
  },
  ['name', 'platform', 'resource_type', 'redirect_uris', 'scopes'],
);
export const clientCreated = {
  ...client,
  properties: {
    ...(client.properties as Record<string, JsonSchema>),
    client_secret: str({ description: 'web clients only; shown once' }),
  },
};
export const clientPatch = object({
  name: str({ minLength: 1, maxLength: 200 }),
  redirect_uris: uriList(1),
  post_logout_redirect_uris: uriList(0),
  scopes: scopeList,
  consent: str({ enum: ['required', 'skip'] }),
  refresh_tokens: refreshTokens,
  enabled: bool,
});
export const secretRotate = object({
  overlap_seconds: int({
    minimum: 0,
    maximum: 604_800,
    default: 0,
    description: 'the old secret keeps working this long',
  }),
});
export const secretRotated = object({ client_secret: str(), old_secret_expires_at: { type: ['integer', 'null'] } }, [
  'client_secret',
  'old_secret_expires_at',
]);
export const metadata = object({
  client_id: str(),
  name: str(),
  realms: {
    type: 'array',
    items: object({
      realm: str(),
      actor: str({ enum: ['user', 'customer'] }),
      issuer: str(),
      authorization_url: str(),
      token_url: str(),
      domain_url: str(),
      metadata_url: str(),
    }),
  },
});

const actor = str({ enum: ['user', 'customer'] });
export const user = object(
  {
    id: str(),
    tenant: str(),
    actor,
    username: str(),
    email: { type: ['string', 'null'] },
    enabled: bool,
    created_at: epoch,
  },
  ['id', 'tenant', 'actor', 'username', 'email', 'enabled', 'created_at'],
);
export const userCreate = object(
  {
    actor,
    username: str({ minLength: 1, maxLength: 200 }),
    email: str({ maxLength: 320 }),
    password: str({ minLength: 8, maxLength: 1000, writeOnly: true }),
  },
  ['actor', 'username', 'password'],
);
export const userPatch = object({ email: { type: ['string', 'null'], maxLength: 320 }, enabled: bool });
export const passwordSet = object({ password: str({ minLength: 8, maxLength: 1000, writeOnly: true }) }, ['password']);
export const consent = object({ client_id: str(), client_name: str(), scopes: scopeList, granted_at: epoch });
export const key = object({
  kid: str(),
  alg: str(),
  state: str({ enum: ['active', 'retiring'] }),
  created_at: epoch,
  retire_at: { type: ['integer', 'null'] },
});
export const auditEvent = object({
  id: str(),
  at: epoch,
  type: str(),
  tenant: { type: ['string', 'null'] },
  actor: object({ kind: str({ enum: ['admin', 'api-key', 'person', 'system'] }), id: str(), name: str() }),
  target: { type: ['string', 'null'] },
  before: {},
  after: {},
  detail: {},
});
export const me = object({
  id: str(),
  username: str(),
  role: str({ enum: ['operator', 'tenant-admin'] }),
  tenants: { type: 'array', items: str() },
});
export const problemSchema = object({
  type: str(),
  title: str(),
  status: int(),
  detail: str(),
  errors: { type: 'array', items: object({ field: str(), message: str() }) },
});

export const listQuery = object({
  q: str({ maxLength: 200 }),
  limit: int({ minimum: 1, maximum: 200, default: 50 }),
  cursor: str({ maxLength: 500 }),
});
export const userListQuery = object({ ...(listQuery.properties as Record<string, JsonSchema>), actor });
export const auditQuery = object({
  tenant: str({ maxLength: 64 }),
  type: str({ maxLength: 64 }),
  actor: str({ maxLength: 200 }),
  since: epoch,
  until: epoch,
  limit: int({ minimum: 1, maximum: 200, default: 50 }),
  cursor: str({ maxLength: 500 }),
});
export const cascadeQuery = object({ cascade: { type: 'boolean', default: false } });

export function page(item: JsonSchema): JsonSchema {
  return object({ items: { type: 'array', items: item }, next_cursor: { type: ['string', 'null'] } }, [
    'items',
    'next_cursor',
  ]);
}
