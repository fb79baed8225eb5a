import {
  deleteClient,
  getClient,
  listClients,
  MAX_SECRET_OVERLAP_SECONDS,
  rotateClientSecret,
  updateClient,
} from '../admin/client-admin.js';
import type { ClientView } from '../admin/client-views.js';
import { type ClientMetadata, createClient, getClientMetadata, setClientDisabled } from '../admin/clients.js';
import { AdminInputError } from '../admin/errors.js';
import {
  bool,
  type Command,
  type FlagSpec,
  type Flags,
  formatList,
  LIST_FLAGS,
  list,
  PUBLIC_URL_UNKNOWN,
  str,
} from './spec.js';

const tenantFlag = { type: 'string', description: 'tenant id', required: true } as const;
const clientIdFlag = { type: 'string', description: 'the client_id', required: true } as const;

const REFRESH_FLAGS: Record<string, FlagSpec> = {
  'refresh-tokens': {
    type: 'string',
    description: 'issue refresh tokens: on or off',
    default: 'on for spa, off for web',
  },
  'refresh-absolute-ttl': { type: 'string', description: 'lifetime of a rotation family, seconds', default: '604800' },
  'refresh-idle-ttl': {
    type: 'string',
    description: 'an unused refresh token expires after, seconds',
    default: '86400',
  },
  'refresh-grace': { type: 'string', description: 'duplicate-refresh grace window, 0 to 60 seconds', default: '0' },
};

/** OpenID Connect Dynamic Client Registration 1.0 §2: RS256 unless the client asks otherwise. */
const ID_TOKEN_ALG_FLAG = {
  type: 'string',
  description: 'how the ID Tokens of this client are signed: RS256 or ES256',
  default: 'RS256',
} as const;

const refreshInput = (flags: Flags) => ({
  refreshTokens: str(flags, 'refresh-tokens'),
  refreshAbsoluteTtlSeconds: str(flags, 'refresh-absolute-ttl'),
  refreshIdleTtlSeconds: str(flags, 'refresh-idle-ttl'),
  refreshGraceSeconds: str(flags, 'refresh-grace'),
});

/** `client metadata` without --client-id says so, rather than "unknown client  in tenant" (issue 12). */
function requireClientId(flags: Flags): string {
  const clientId = str(flags, 'client-id');
  if (!clientId) throw new AdminInputError('--client-id is required');
  return clientId;
}

export function formatMetadata(metadata: ClientMetadata): string {
  const lines = [
    `  client_id: ${metadata.client_id} (${metadata.platform}, ${metadata.resource_type})`,
    `  scopes: ${metadata.scopes.join(' ')}`,
  ];
  for (const realm of Object.values(metadata.realms)) {
    lines.push(
      `  realm ${realm.realm}:`,
      `    Authorization URL: ${realm.authorization_url}`,
      `    Token URL:         ${realm.token_url}`,
      `    Domain URL:        ${realm.domain_url}`,
      `    Metadata URL:      ${realm.metadata_url}`,
    );
  }
  return lines.join('\n');
}

function formatClient(client: ClientView): string {
  const r = client.refresh_tokens;
  return [
    `${client.client_id}  ${client.name}${client.enabled ? '' : '  (DISABLED)'}`,
    `  tenant: ${client.tenant}  platform: ${client.platform}  resource type: ${client.resource_type}  consent: ${client.consent}`,
    `  redirect URIs: ${client.redirect_uris.join(' ')}`,
    `  post-logout redirect URIs: ${client.post_logout_redirect_uris.join(' ') || '-'}`,
    `  scopes: ${client.scopes.join(' ') || '-'}`,
    `  refresh tokens: ${r.enabled ? `on (absolute ${r.absolute_ttl_seconds} s, idle ${r.idle_ttl_seconds} s, grace ${r.grace_seconds} s)` : 'off'}`,
  ].join('\n');
}

export const CLIENT_COMMANDS: Command[] = [
  {
    name: 'client create',
    summary: 'register a client application (a web client gets a secret, shown once)',
    flags: {
      tenant: tenantFlag,
      name: { type: 'string', description: 'display name', required: true },
      platform: {
        type: 'string',
        description: 'spa (public, PKCE) or web (confidential, with a secret)',
        required: true,
      },
      'resource-type': { type: 'string', description: 'user, customer or global (both realms)', required: true },
      'redirect-uri': { type: 'string', multiple: true, description: 'exact redirect URI', required: true },
      scope: { type: 'string', multiple: true, description: 'a scope of the tenant the client may request' },
      'no-scopes': { type: 'boolean', description: 'allow a client without scopes (one that only introspects)' },
      'client-id': { type: 'string', description: 'a lower-case UUID', default: 'a random UUID' },
      consent: { type: 'string', description: 'required or skip (first-party clients)', default: 'required' },
      'post-logout-redirect-uri': { type: 'string', multiple: true, description: 'where logout may return to' },
      ...REFRESH_FLAGS,
      'id-token-alg': ID_TOKEN_ALG_FLAG,
    },
    run: async (ctx, flags, caller, env) => {
      const { client, secret, metadata } = await createClient(
        ctx,
        {
          tenant: str(flags, 'tenant'),
          name: str(flags, 'name'),
          platform: str(flags, 'platform'),
          resourceType: str(flags, 'resource-type'),
          redirectUris: list(flags, 'redirect-uri'),
          scopes: list(flags, 'scope'),
          allowNoScopes: bool(flags, 'no-scopes'),
          clientId: str(flags, 'client-id'),
          consent: str(flags, 'consent'),
          postLogoutRedirectUris: list(flags, 'post-logout-redirect-uri'),
          ...refreshInput(flags),
          idTokenAlg: str(flags, 'id-token-alg'),
        },
        caller,
      );
      const text = [
        `created client ${client.clientId}`,
        secret ? `client secret (shown once, store it now): ${secret}` : '',
        env.publicUrlKnown ? formatMetadata(metadata) : PUBLIC_URL_UNKNOWN,
      ]
        .filter(Boolean)
        .join('\n');
      return {
        json: {
          client_id: client.clientId,
          ...(secret ? { client_secret: secret } : {}),
          metadata: env.publicUrlKnown ? metadata : null,
        },
        text,
      };
    },
  },
  {
    name: 'client list',
    summary: "list a tenant's client applications (disabled ones too)",
    flags: { tenant: tenantFlag, ...LIST_FLAGS },
    run: async (ctx, flags, caller) => {
      const page = await listClients(
        ctx,
        { tenant: str(flags, 'tenant'), q: str(flags, 'q'), limit: str(flags, 'limit'), cursor: str(flags, 'cursor') },
        caller,
      );
      return {
        json: page,
        text: formatList(
          page,
          (c) => `${c.client_id}  ${c.platform}  ${c.resource_type}  ${c.enabled ? 'enabled ' : 'DISABLED'}  ${c.name}`,
          'no clients',
        ),
      };
    },
  },
  {
    name: 'client show',
    summary: 'show a client application',
    flags: { tenant: tenantFlag, 'client-id': clientIdFlag },
    run: async (ctx, flags, caller) => {
      const client = await getClient(ctx, { tenant: str(flags, 'tenant'), clientId: requireClientId(flags) }, caller);
      return { json: { client }, text: formatClient(client) };
    },
  },
  {
    name: 'client update',
    summary: 'change a client application; list flags replace the whole list',
    flags: {
      tenant: tenantFlag,
      'client-id': clientIdFlag,
      name: { type: 'string', description: 'new display name' },
      'redirect-uri': { type: 'string', multiple: true, description: 'the new redirect URIs' },
      'post-logout-redirect-uri': { type: 'string', multiple: true, description: 'the new post-logout redirect URIs' },
      'no-post-logout-redirect-uris': { type: 'boolean', description: 'remove every post-logout redirect URI' },
      scope: { type: 'string', multiple: true, description: 'the new scopes' },
      'no-scopes': { type: 'boolean', description: 'remove every scope' },
      consent: { type: 'string', description: 'required or skip' },
      ...REFRESH_FLAGS,
    },
    run: async (ctx, flags, caller) => {
      const client = await updateClient(
        ctx,
        {
          tenant: str(flags, 'tenant'),
          clientId: requireClientId(flags),
          name: str(flags, 'name'),
          redirectUris: list(flags, 'redirect-uri'),
          postLogoutRedirectUris: bool(flags, 'no-post-logout-redirect-uris')
            ? []
            : list(flags, 'post-logout-redirect-uri'),
          scopes: bool(flags, 'no-scopes') ? [] : list(flags, 'scope'),
          consent: str(flags, 'consent'),
          ...refreshInput(flags),
        },
        caller,
      );
      return { json: { client }, text: `updated client ${client.client_id}\n${formatClient(client)}` };
    },
  },
  {
    name: 'client delete',
    summary: 'delete a client application with its consents and refresh tokens',
    flags: { tenant: tenantFlag, 'client-id': clientIdFlag },
    run: async (ctx, flags, caller) => {
      const result = await deleteClient(
        ctx,
        { tenant: str(flags, 'tenant'), clientId: requireClientId(flags) },
        caller,
      );
      return { json: result, text: `deleted client ${result.client_id}` };
    },
  },
  {
    name: 'client metadata',
    summary: 'the URLs an SPA developer needs, per realm',
    flags: { tenant: tenantFlag, 'client-id': clientIdFlag },
    run: async (ctx, flags, caller, env) => {
      const clientId = requireClientId(flags);
      const metadata = await getClientMetadata(ctx, { tenant: str(flags, 'tenant'), clientId }, caller);
      if (!env.publicUrlKnown) throw new AdminInputError(PUBLIC_URL_UNKNOWN);
      return { json: { metadata }, text: formatMetadata(metadata) };
    },
  },
  {
    name: 'client disable',
    summary: 'refuse the client everywhere; its grants stop working at once',
    flags: { tenant: tenantFlag, 'client-id': clientIdFlag },
    run: async (ctx, flags, caller) => {
      const result = await setClientDisabled(
        ctx,
        { tenant: str(flags, 'tenant'), clientId: requireClientId(flags) },
        true,
        caller,
      );
      return { json: result, text: `disabled client ${result.client_id}` };
    },
  },
  {
    name: 'client enable',
    summary: 'let a disabled client start sign-ins again',
    flags: { tenant: tenantFlag, 'client-id': clientIdFlag },
    run: async (ctx, flags, caller) => {
      const result = await setClientDisabled(
        ctx,
        { tenant: str(flags, 'tenant'), clientId: requireClientId(flags) },
        false,
        caller,
      );
      return { json: result, text: `enabled client ${result.client_id}` };
    },
  },
  {
    name: 'client rotate-secret',
    summary: 'give a web client a new secret (shown once); the old one may keep working for --overlap seconds',
    flags: {
      tenant: tenantFlag,
      'client-id': clientIdFlag,
      overlap: {
        type: 'string',
        description: `seconds the old secret still authenticates, 0 to ${MAX_SECRET_OVERLAP_SECONDS}`,
        default: '0',
      },
    },
    run: async (ctx, flags, caller) => {
      const result = await rotateClientSecret(
        ctx,
        { tenant: str(flags, 'tenant'), clientId: requireClientId(flags), overlapSeconds: str(flags, 'overlap') },
        caller,
      );
      const until =
        result.old_secret_expires_at === null
          ? 'the old secret no longer works'
          : `the old secret works until ${new Date(result.old_secret_expires_at * 1000).toISOString()}`;
      return {
        json: result,
        text: `new client secret for ${result.client_id} (shown once, store it now): ${result.client_secret}\n${until}`,
      };
    },
  },
];
