import {
  createAdministrator,
  createApiKey,
  listAdministrators,
  listApiKeys,
  revokeApiKey,
} from '../admin/administrators.js';
import { list, type Command, formatList, readPasswordFromStdin, str } from './spec.js';

export const ADMIN_COMMANDS: Command[] = [
  {
    name: 'admin create',
    summary: 'create (or reset) an administrator who signs in to the console at {public URL}/admin/',
    flags: {
      username: { type: 'string', description: 'username in the GATEHOUSE-U realm', required: true },
      role: { type: 'string', description: 'operator (every tenant) or tenant-admin', required: true },
      tenant: { type: 'string', multiple: true, description: 'a tenant a tenant-admin administers' },
      'password-stdin': { type: 'boolean', description: 'read the password from standard input', required: true },
    },
    run: async (ctx, flags, caller) => {
      const password = await readPasswordFromStdin(flags);
      const admin = await createAdministrator(
        ctx,
        { username: str(flags, 'username'), password, role: str(flags, 'role'), tenants: list(flags, 'tenant') ?? [] },
        caller,
      );
      const scope = admin.role === 'operator' ? 'every tenant' : admin.tenants.join(', ');
      return {
        json: { administrator: admin },
        text: `${admin.created ? 'created' : 'updated'} administrator ${admin.username} (${admin.role}: ${scope}); console: ${ctx.config.publicUrl}/admin/`,
      };
    },
  },
  {
    name: 'admin list',
    summary: 'list the administrators and their roles',
    flags: {},
    run: async (ctx) => {
      const page = await listAdministrators(ctx);
      return {
        json: page,
        text: formatList(
          page,
          (a) =>
            `${a.username}  ${a.role === 'operator' ? 'operator' : `tenant-admin of ${a.tenants.join(',')}`}${a.enabled ? '' : '  (DISABLED)'}`,
          'no administrators (create one with gatehouse admin create)',
        ),
      };
    },
  },
  {
    name: 'admin api-key create',
    summary: 'create an API key for automation (shown once; send it as Authorization: Bearer)',
    flags: {
      name: { type: 'string', description: 'what the key is for, like ci', required: true },
      tenant: {
        type: 'string',
        multiple: true,
        description: 'limit the key to these tenants',
        default: 'every tenant',
      },
    },
    run: async (ctx, flags, caller) => {
      const key = await createApiKey(ctx, { name: str(flags, 'name'), tenants: list(flags, 'tenant') ?? [] }, caller);
      return {
        json: key,
        text: `API key ${key.id} (${key.name}), shown once, store it now:\n${key.key}`,
      };
    },
  },
  {
    name: 'admin api-key list',
    summary: 'list API keys (never the keys themselves)',
    flags: {},
    run: async (ctx) => {
      const page = await listApiKeys(ctx);
      return {
        json: page,
        text: formatList(
          page,
          (k) =>
            `${k.id}  ${k.name}  ${k.role === 'operator' ? 'every tenant' : k.tenants.join(',')}${k.revoked_at === null ? '' : '  (REVOKED)'}`,
          'no API keys',
        ),
      };
    },
  },
  {
    name: 'admin api-key revoke',
    summary: 'revoke an API key at once',
    flags: { id: { type: 'string', description: 'the key id (from admin api-key list)', required: true } },
    run: async (ctx, flags, caller) => {
      const result = await revokeApiKey(ctx, { id: str(flags, 'id') }, caller);
      return { json: result, text: `revoked API key ${result.id}` };
    },
  },
];
