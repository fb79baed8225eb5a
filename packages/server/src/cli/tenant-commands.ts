import { listAuditEvents } from '../admin/audit-events.js';
import { setTenantBranding } from '../admin/branding.js';
import { listKeys, rotateKeys } from '../admin/keys.js';
import { createScope, deleteScope, getScope, listScopes, updateScope } from '../admin/scopes.js';
import { createTenant, deleteTenant, getTenant, listTenants, updateTenant } from '../admin/tenants.js';
import { bool, type Command, formatList, LIST_FLAGS, str } from './spec.js';

const tenantFlag = { type: 'string', description: 'tenant id', required: true } as const;
const time = (epoch: number | null): string => (epoch === null ? '-' : new Date(epoch * 1000).toISOString());

export const TENANT_COMMANDS: Command[] = [
  {
    name: 'migrate',
    summary: 'create the database or bring its schema up to date (and store --public-url if given)',
    flags: {},
    run: async () => ({ json: { migrated: true }, text: 'database is up to date' }),
  },
  {
    name: 'tenant create',
    summary: 'create a tenant with its two realms ({ID}-U for agents, {ID}-C for customers)',
    flags: {
      id: { type: 'string', description: 'tenant id: upper-case letters and digits', required: true },
      name: { type: 'string', description: 'display name', required: true },
      'api-domain': { type: 'string', description: "the tenant's API URL: the audience of its tokens", required: true },
    },
    run: async (ctx, flags, caller) => {
      const tenant = await createTenant(
        ctx,
        { id: str(flags, 'id'), name: str(flags, 'name'), apiDomain: str(flags, 'api-domain') },
        caller,
      );
      return {
        json: { tenant: { id: tenant.id, name: tenant.name, api_domain: tenant.apiDomain } },
        text: `created tenant ${tenant.id}`,
      };
    },
  },
  {
    name: 'tenant list',
    summary: 'list tenants',
    flags: LIST_FLAGS,
    run: async (ctx, flags, caller) => {
      const page = await listTenants(
        ctx,
        { q: str(flags, 'q'), limit: str(flags, 'limit'), cursor: str(flags, 'cursor') },
        caller,
      );
      return { json: page, text: formatList(page, (t) => `${t.id}  ${t.name}  ${t.api_domain}`, 'no tenants') };
    },
  },
  {
    name: 'tenant show',
    summary: 'show a tenant',
    flags: { tenant: tenantFlag },
    run: async (ctx, flags, caller) => {
      const tenant = await getTenant(ctx, { tenant: str(flags, 'tenant') }, caller);
      return {
        json: { tenant },
        text: `${tenant.id}\n  name: ${tenant.name}\n  api domain: ${tenant.api_domain}\n  created: ${time(tenant.created_at)}`,
      };
    },
  },
  {
    name: 'tenant update',
    summary: "change a tenant's name or API domain",
    flags: {
      tenant: tenantFlag,
      name: { type: 'string', description: 'new display name' },
      'api-domain': { type: 'string', description: 'new API URL (tokens issued before keep the old audience)' },
    },
    run: async (ctx, flags, caller) => {
      const tenant = await updateTenant(
        ctx,
        { tenant: str(flags, 'tenant'), name: str(flags, 'name'), apiDomain: str(flags, 'api-domain') },
        caller,
      );
      return { json: { tenant }, text: `updated tenant ${tenant.id}` };
    },
  },
  {
    name: 'tenant branding',
    summary: "set how the tenant's sign-in, consent and account pages look (an empty value clears a field)",
    flags: {
      tenant: tenantFlag,
      'display-name': { type: 'string', description: 'name shown above every page heading instead of the tenant name' },
      'logo-url': { type: 'string', description: 'https URL of the logo shown on every page' },
      'primary-color': { type: 'string', description: "button colour '#RRGGBB', at least 3:1 contrast on white" },
    },
    run: async (ctx, flags, caller) => {
      const result = await setTenantBranding(
        ctx,
        {
          tenant: str(flags, 'tenant'),
          displayName: str(flags, 'display-name'),
          logoUrl: str(flags, 'logo-url'),
          primaryColor: str(flags, 'primary-color'),
        },
        caller,
      );
      return { json: result, text: `branding of ${result.tenant}: ${JSON.stringify(result.branding)}` };
    },
  },
  {
    name: 'tenant delete',
    summary: 'delete an empty tenant (or, with --cascade, everything in it)',
    flags: {
      tenant: tenantFlag,
      cascade: { type: 'boolean', description: 'also delete its clients, people, grants and keys', default: 'off' },
    },
    run: async (ctx, flags, caller) => {
      const result = await deleteTenant(ctx, { tenant: str(flags, 'tenant'), cascade: bool(flags, 'cascade') }, caller);
      return { json: result, text: `deleted tenant ${result.id}` };
    },
  },
  {
    name: 'scope create',
    summary: "define a scope a tenant's clients may hold (not a built-in one like openid)",
    flags: {
      tenant: tenantFlag,
      name: { type: 'string', description: 'one scope token, like core.aiservices.read', required: true },
      description: { type: 'string', description: 'what the consent page shows', required: true },
    },
    run: async (ctx, flags, caller) => {
      const scope = await createScope(
        ctx,
        { tenant: str(flags, 'tenant'), name: str(flags, 'name'), description: str(flags, 'description') },
        caller,
      );
      return { json: { scope }, text: `created scope ${scope.name} in ${scope.tenant}` };
    },
  },
  {
    name: 'scope list',
    summary: "list a tenant's scopes",
    flags: { tenant: tenantFlag, ...LIST_FLAGS },
    run: async (ctx, flags, caller) => {
      const page = await listScopes(
        ctx,
        { tenant: str(flags, 'tenant'), q: str(flags, 'q'), limit: str(flags, 'limit'), cursor: str(flags, 'cursor') },
        caller,
      );
      return { json: page, text: formatList(page, (s) => `${s.name}  ${s.description}`, 'no scopes') };
    },
  },
  {
    name: 'scope show',
    summary: 'show a scope',
    flags: { tenant: tenantFlag, name: { type: 'string', description: 'the scope', required: true } },
    run: async (ctx, flags, caller) => {
      const scope = await getScope(ctx, { tenant: str(flags, 'tenant'), name: str(flags, 'name') }, caller);
      return { json: { scope }, text: `${scope.name}: ${scope.description}` };
    },
  },
  {
    name: 'scope update',
    summary: "change a scope's description",
    flags: {
      tenant: tenantFlag,
      name: { type: 'string', description: 'the scope', required: true },
      description: { type: 'string', description: 'what the consent page shows', required: true },
    },
    run: async (ctx, flags, caller) => {
      const scope = await updateScope(
        ctx,
        { tenant: str(flags, 'tenant'), name: str(flags, 'name'), description: str(flags, 'description') },
        caller,
      );
      return { json: { scope }, text: `updated scope ${scope.name}` };
    },
  },
  {
    name: 'scope delete',
    summary: 'delete a scope no client holds',
    flags: { tenant: tenantFlag, name: { type: 'string', description: 'the scope', required: true } },
    run: async (ctx, flags, caller) => {
      const result = await deleteScope(ctx, { tenant: str(flags, 'tenant'), name: str(flags, 'name') }, caller);
      return { json: result, text: `deleted scope ${result.name} from ${result.tenant}` };
    },
  },
  {
    name: 'keys rotate',
    summary: 'add a new signing key; the previous one stays published for a while',
    flags: { tenant: tenantFlag },
    run: async (ctx, flags, caller) => {
      const result = await rotateKeys(ctx, { tenant: str(flags, 'tenant') }, caller);
      return {
        json: result,
        text: `new signing keys for ${result.tenant}: ES256 ${result.kids.ES256}, RS256 ${result.kids.RS256}`,
      };
    },
  },
  {
    name: 'keys list',
    summary: "list a tenant's published signing keys",
    flags: { tenant: tenantFlag },
    run: async (ctx, flags, caller) => {
      const page = await listKeys(ctx, { tenant: str(flags, 'tenant') }, caller);
      return {
        json: page,
        text: formatList(
          page,
          (k) => `${k.kid}  ${k.alg}  ${k.state}  created ${time(k.created_at)}  retires ${time(k.retire_at)}`,
          'no keys',
        ),
      };
    },
  },
  {
    name: 'audit list',
    summary: 'the audit trail, newest first',
    flags: {
      tenant: { type: 'string', description: 'only events of this tenant' },
      type: { type: 'string', description: 'only events of this type, like client.updated or sign-in.failed' },
      actor: { type: 'string', description: 'only events by this actor (id or name)' },
      since: { type: 'string', description: 'from this time (epoch seconds or ISO 8601)' },
      until: { type: 'string', description: 'up to this time (epoch seconds or ISO 8601)' },
      limit: LIST_FLAGS.limit!,
      cursor: LIST_FLAGS.cursor!,
    },
    run: async (ctx, flags, caller) => {
      const page = await listAuditEvents(
        ctx,
        {
          tenant: str(flags, 'tenant'),
          type: str(flags, 'type'),
          actor: str(flags, 'actor'),
          since: str(flags, 'since'),
          until: str(flags, 'until'),
          limit: str(flags, 'limit'),
          cursor: str(flags, 'cursor'),
        },
        caller,
      );
      return {
        json: page,
        text: formatList(
          page,
          (e) => `${time(e.at)}  ${e.type}  ${e.tenant ?? '-'}  ${e.actor.kind}:${e.actor.name}  ${e.target ?? ''}`,
          'no events',
        ),
      };
    },
  },
];
