import {
  deleteClient,
  getClient,
  getClientMetadataView,
  listClients,
  rotateClientSecret,
  updateClient,
} from '../../admin/client-admin.js';
import { createClient } from '../../admin/clients.js';
import {
  createUser,
  deleteUser,
  getUser,
  listConsents,
  listUsers,
  revokeConsent,
  setUserPassword,
  updateUser,
} from '../../admin/users.js';
import { type AdminRoute, optionalString, refreshInput } from './route-table.js';
import * as S from './schemas.js';

const client = (params: Record<string, string>) => ({ tenant: params.tenant_id, clientId: params.client_id });
const user = (params: Record<string, string>) => ({ tenant: params.tenant_id, userId: params.user_id });
const list = (body: Record<string, unknown>, key: string): string[] | undefined => body[key] as string[] | undefined;

/** Client applications and people. */
export const CLIENT_USER_ROUTES: AdminRoute[] = [
  {
    method: 'GET',
    url: '/tenants/:tenant_id/clients',
    operationId: 'listClients',
    summary: "List a tenant's client applications (disabled ones too)",
    tag: 'clients',
    querystring: S.listQuery,
    status: 200,
    response: S.page(S.client),
    handle: ({ ctx, caller, params, query }) => listClients(ctx, { ...query, tenant: params.tenant_id }, caller),
  },
  {
    method: 'POST',
    url: '/tenants/:tenant_id/clients',
    operationId: 'createClient',
    summary: 'Register a client application; a web client gets a secret, shown once',
    tag: 'clients',
    body: S.clientCreate,
    status: 201,
    response: S.clientCreated,
    handle: async ({ ctx, caller, params, body }) => {
      const created = await createClient(
        ctx,
        {
          tenant: params.tenant_id,
          name: optionalString(body, 'name'),
          platform: optionalString(body, 'platform'),
          resourceType: optionalString(body, 'resource_type'),
          redirectUris: list(body, 'redirect_uris'),
          postLogoutRedirectUris: list(body, 'post_logout_redirect_uris'),
          scopes: list(body, 'scopes'),
          // An explicit empty list in the API is the explicit choice the CLI asks --no-scopes for.
          allowNoScopes: true,
          consent: optionalString(body, 'consent'),
          ...refreshInput(body),
        },
        caller,
      );
      const view = await getClient(ctx, { tenant: params.tenant_id, clientId: created.client.clientId }, caller);
      return created.secret ? { ...view, client_secret: created.secret } : view;
    },
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/clients/:client_id',
    operationId: 'getClient',
    summary: 'Show a client application',
    tag: 'clients',
    status: 200,
    response: S.client,
    handle: ({ ctx, caller, params }) => getClient(ctx, client(params), caller),
  },
  {
    method: 'PATCH',
    url: '/tenants/:tenant_id/clients/:client_id',
    operationId: 'updateClient',
    summary: 'Change a client application (name, URIs, scopes, consent, refresh policy, enabled)',
    tag: 'clients',
    body: S.clientPatch,
    status: 200,
    response: S.client,
    handle: ({ ctx, caller, params, body }) =>
      updateClient(
        ctx,
        {
          ...client(params),
          name: optionalString(body, 'name'),
          redirectUris: list(body, 'redirect_uris'),
          postLogoutRedirectUris: list(body, 'post_logout_redirect_uris'),
          scopes: list(body, 'scopes'),
          consent: optionalString(body, 'consent'),
          enabled: body.enabled as boolean | undefined,
          ...refreshInput(body),
        },
        caller,
      ),
  },
  {
    method: 'DELETE',
    url: '/tenants/:tenant_id/clients/:client_id',
    operationId: 'deleteClient',
    summary: 'Delete a client application with its consents and refresh tokens',
    tag: 'clients',
    status: 204,
    handle: ({ ctx, caller, params }) => deleteClient(ctx, client(params), caller),
  },
  {
    method: 'POST',
    url: '/tenants/:tenant_id/clients/:client_id/secret',
    operationId: 'rotateClientSecret',
    summary: "Rotate a web client's secret (shown once); the old one may keep working for overlap_seconds",
    tag: 'clients',
    body: S.secretRotate,
    status: 200,
    response: S.secretRotated,
    handle: async ({ ctx, caller, params, body }) => {
      const rotated = await rotateClientSecret(
        ctx,
        { ...client(params), overlapSeconds: (body?.overlap_seconds as number | undefined) ?? 0 },
        caller,
      );
      return { client_secret: rotated.client_secret, old_secret_expires_at: rotated.old_secret_expires_at };
    },
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/clients/:client_id/metadata',
    operationId: 'getClientMetadata',
    summary: 'The Metadata view: authorization, token, domain and metadata URLs per realm',
    tag: 'clients',
    status: 200,
    response: S.metadata,
    handle: ({ ctx, caller, params }) => getClientMetadataView(ctx, client(params), caller),
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/users',
    operationId: 'listUsers',
    summary: "List a tenant's people (?actor=user|customer)",
    tag: 'users',
    querystring: S.userListQuery,
    status: 200,
    response: S.page(S.user),
    handle: ({ ctx, caller, params, query }) =>
      listUsers(ctx, { ...query, actor: optionalString(query, 'actor'), tenant: params.tenant_id }, caller),
  },
  {
    method: 'POST',
    url: '/tenants/:tenant_id/users',
    operationId: 'createUser',
    summary: 'Create a person (usernames are unique per realm, ignoring case)',
    tag: 'users',
    body: S.userCreate,
    status: 201,
    response: S.user,
    handle: async ({ ctx, caller, params, body }) => {
      const created = await createUser(
        ctx,
        {
          tenant: params.tenant_id,
          actor: optionalString(body, 'actor'),
          username: optionalString(body, 'username'),
          email: optionalString(body, 'email'),
          password: optionalString(body, 'password'),
        },
        caller,
      );
      return getUser(ctx, { tenant: params.tenant_id, userId: created.id }, caller);
    },
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/users/:user_id',
    operationId: 'getUser',
    summary: 'Show a person',
    tag: 'users',
    status: 200,
    response: S.user,
    handle: ({ ctx, caller, params }) => getUser(ctx, user(params), caller),
  },
  {
    method: 'PATCH',
    url: '/tenants/:tenant_id/users/:user_id',
    operationId: 'updateUser',
    summary: 'Change email or enabled (disabling ends sessions and refresh tokens)',
    tag: 'users',
    body: S.userPatch,
    status: 200,
    response: S.user,
    handle: ({ ctx, caller, params, body }) =>
      updateUser(
        ctx,
        {
          ...user(params),
          ...('email' in body ? { email: body.email as string | null } : {}),
          enabled: body.enabled as boolean | undefined,
        },
        caller,
      ),
  },
  {
    method: 'DELETE',
    url: '/tenants/:tenant_id/users/:user_id',
    operationId: 'deleteUser',
    summary: 'Delete a person with their sessions, consents and refresh tokens',
    tag: 'users',
    status: 204,
    handle: ({ ctx, caller, params }) => deleteUser(ctx, user(params), caller),
  },
  {
    method: 'POST',
    url: '/tenants/:tenant_id/users/:user_id/password',
    operationId: 'setUserPassword',
    summary: "Set a person's password (ends their sessions and refresh tokens)",
    tag: 'users',
    body: S.passwordSet,
    status: 204,
    handle: ({ ctx, caller, params, body }) =>
      setUserPassword(ctx, { ...user(params), password: optionalString(body, 'password') }, caller),
  },
  {
    method: 'GET',
    url: '/tenants/:tenant_id/users/:user_id/consents',
    operationId: 'listConsents',
    summary: 'The consents a person has given',
    tag: 'users',
    status: 200,
    response: S.page(S.consent),
    handle: ({ ctx, caller, params }) => listConsents(ctx, user(params), caller),
  },
  {
    method: 'DELETE',
    url: '/tenants/:tenant_id/users/:user_id/consents/:client_id',
    operationId: 'revokeConsent',
    summary: "Withdraw a person's consent for a client, with the refresh tokens it was the basis of",
    tag: 'users',
    status: 204,
    handle: ({ ctx, caller, params }) => revokeConsent(ctx, { ...user(params), clientId: params.client_id }, caller),
  },
];
