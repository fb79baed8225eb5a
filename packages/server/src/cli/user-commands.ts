import {
  createUser,
  deleteUser,
  getUser,
  listConsents,
  listUsers,
  revokeConsent,
  setUserDisabled,
  setUserPassword,
  updateUser,
  type UserSelector,
  type UserView,
} from '../admin/users.js';
import { type Command, type FlagSpec, type Flags, formatList, LIST_FLAGS, readPasswordFromStdin, str } from './spec.js';

const tenantFlag = { type: 'string', description: 'tenant id', required: true } as const;
const PERSON: Record<string, FlagSpec> = {
  tenant: tenantFlag,
  actor: { type: 'string', description: 'user (agents, realm -U) or customer (realm -C)' },
  username: { type: 'string', description: 'the username (matched ignoring case)' },
  'user-id': { type: 'string', description: 'the user id, instead of --actor and --username' },
};
const person = (flags: Flags): UserSelector => ({
  tenant: str(flags, 'tenant'),
  ...(str(flags, 'user-id') !== undefined
    ? { userId: str(flags, 'user-id') }
    : { actor: str(flags, 'actor'), username: str(flags, 'username') }),
});
const passwordFlag: FlagSpec = {
  type: 'boolean',
  description: 'read the password from standard input',
  required: true,
};

const formatUser = (u: UserView): string =>
  `${u.id}  ${u.actor}  ${u.username}  ${u.email ?? '-'}${u.enabled ? '' : '  (DISABLED)'}`;

export const USER_COMMANDS: Command[] = [
  {
    name: 'user create',
    summary: 'create a person in the user (agent) or customer realm',
    flags: {
      tenant: tenantFlag,
      actor: { type: 'string', description: 'user or customer', required: true },
      username: { type: 'string', description: 'unique in the realm, ignoring case', required: true },
      email: { type: 'string', description: 'email address' },
      'password-stdin': passwordFlag,
    },
    run: async (ctx, flags, caller) => {
      const password = await readPasswordFromStdin(flags);
      const user = await createUser(
        ctx,
        {
          tenant: str(flags, 'tenant'),
          actor: str(flags, 'actor'),
          username: str(flags, 'username'),
          email: str(flags, 'email'),
          password,
        },
        caller,
      );
      return {
        json: {
          user: { id: user.id, tenant: user.tenantId, actor: user.actor, username: user.username, email: user.email },
        },
        text: `created ${user.actor} ${user.username} (${user.id})`,
      };
    },
  },
  {
    name: 'user list',
    summary: "list a tenant's people",
    flags: { tenant: tenantFlag, actor: { type: 'string', description: 'only user or only customer' }, ...LIST_FLAGS },
    run: async (ctx, flags, caller) => {
      const page = await listUsers(
        ctx,
        {
          tenant: str(flags, 'tenant'),
          actor: str(flags, 'actor'),
          q: str(flags, 'q'),
          limit: str(flags, 'limit'),
          cursor: str(flags, 'cursor'),
        },
        caller,
      );
      return { json: page, text: formatList(page, formatUser, 'no users') };
    },
  },
  {
    name: 'user show',
    summary: 'show a person',
    flags: PERSON,
    run: async (ctx, flags, caller) => {
      const user = await getUser(ctx, person(flags), caller);
      return { json: { user }, text: formatUser(user) };
    },
  },
  {
    name: 'user update',
    summary: "change a person's email (--email '' removes it)",
    flags: { ...PERSON, email: { type: 'string', description: 'new email address' } },
    run: async (ctx, flags, caller) => {
      const email = str(flags, 'email');
      const user = await updateUser(ctx, { ...person(flags), ...(email !== undefined ? { email } : {}) }, caller);
      return { json: { user }, text: `updated ${user.username}` };
    },
  },
  {
    name: 'user delete',
    summary: 'delete a person with their sessions, consents and refresh tokens',
    flags: PERSON,
    run: async (ctx, flags, caller) => {
      const result = await deleteUser(ctx, person(flags), caller);
      return { json: result, text: `deleted user ${result.id}` };
    },
  },
  {
    name: 'user set-password',
    summary: 'set a new password; ends sessions and refresh tokens',
    flags: { ...PERSON, 'password-stdin': passwordFlag },
    run: async (ctx, flags, caller) => {
      const password = await readPasswordFromStdin(flags);
      const result = await setUserPassword(ctx, { ...person(flags), password }, caller);
      return {
        json: result,
        text: `password changed for ${str(flags, 'username') ?? result.id}: sessions ended, refresh tokens revoked`,
      };
    },
  },
  {
    name: 'user disable',
    summary: 'stop a person signing in; ends sessions and refresh tokens',
    flags: PERSON,
    run: async (ctx, flags, caller) => {
      const result = await setUserDisabled(ctx, person(flags), true, caller);
      return {
        json: result,
        text: `disabled ${str(flags, 'username') ?? result.id}: sessions ended, refresh tokens revoked`,
      };
    },
  },
  {
    name: 'user enable',
    summary: 'let a disabled person sign in again',
    flags: PERSON,
    run: async (ctx, flags, caller) => {
      const result = await setUserDisabled(ctx, person(flags), false, caller);
      return { json: result, text: `enabled ${str(flags, 'username') ?? result.id}` };
    },
  },
  {
    name: 'consent list',
    summary: 'the consents a person has given',
    flags: PERSON,
    run: async (ctx, flags, caller) => {
      const page = await listConsents(ctx, person(flags), caller);
      return {
        json: page,
        text: formatList(page, (c) => `${c.client_id}  ${c.client_name}  ${c.scopes.join(' ')}`, 'no consents'),
      };
    },
  },
  {
    name: 'consent revoke',
    summary: "withdraw a person's consent for a client, with its refresh tokens",
    flags: { ...PERSON, 'client-id': { type: 'string', description: 'the client_id', required: true } },
    run: async (ctx, flags, caller) => {
      const result = await revokeConsent(ctx, { ...person(flags), clientId: str(flags, 'client-id') }, caller);
      return {
        json: result,
        text: `consent of ${str(flags, 'username') ?? result.id} for ${result.client_id} revoked with its refresh tokens`,
      };
    },
  },
];
