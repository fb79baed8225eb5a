import { describe, expect, it } from 'vitest';
import { InvalidGrant } from '../errors.js';
import type { Client, User } from '../model.js';
import { checkGrantStillValid, type GrantCheckDeps } from './grant-checks.js';

const T0 = 1_750_000_000;
const TENANT = 'TMPRODB88619984';
const READ = 'core.aiservices.read';
const WRITE = 'core.aiservices.write';

const CLIENT: Client = {
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  tenantId: TENANT,
  name: 'Demo SPA',
  platform: 'spa',
  resourceType: 'global',
  redirectUris: ['https://oauth.pstmn.io/v1/callback'],
  scopes: [READ, WRITE],
  consentMode: 'required',
  secretHash: null,
  postLogoutRedirectUris: [],
  refreshTokens: { enabled: true, absoluteTtlSeconds: 3_600, idleTtlSeconds: 600, graceSeconds: 0 },
  disabled: false,
};

const USER: User = {
  id: 'user-1',
  tenantId: TENANT,
  actor: 'user',
  username: 'alice',
  email: null,
  passwordHash: 'unused',
  disabled: false,
  passwordChangedAt: T0 - 100,
};

function deps(options: { user?: User | undefined; consented?: readonly string[] } = {}) {
  const calls: string[] = [];
  const user = 'user' in options ? options.user : USER;
  const checks: GrantCheckDeps = {
    findUser: async (tenantId, userId) => {
      calls.push(`findUser ${tenantId} ${userId}`);
      return user;
    },
    grantedScopes: async (userId, clientId) => {
      calls.push(`grantedScopes ${userId} ${clientId}`);
      return options.consented ?? [READ, WRITE];
    },
  };
  return { checks, calls };
}

const INPUT = { client: CLIENT, tenantId: TENANT, userId: USER.id, scopes: [READ, WRITE], grantedAt: T0 };

async function expectInvalidGrant(promise: Promise<unknown>, description: string): Promise<void> {
  const error = await promise.then(
    () => expect.unreachable('the grant check should have failed'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidGrant);
  expect(error).toMatchObject({ error: 'invalid_grant', status: 400, message: description });
}

describe('checkGrantStillValid', () => {
  it('returns the person when client, person, password and consent all still hold', async () => {
    const { checks, calls } = deps();
    expect(await checkGrantStillValid(checks, INPUT)).toBe(USER);
    expect(calls).toEqual([`findUser ${TENANT} user-1`, `grantedScopes user-1 ${CLIENT.clientId}`]);
  });

  it('refuses a disabled client before looking the person up', async () => {
    const { checks, calls } = deps();
    await expectInvalidGrant(checkGrantStillValid(checks, { ...INPUT, client: { ...CLIENT, disabled: true } }), 'the client is disabled');
    expect(calls).toEqual([]);
  });

  it('refuses a disabled person and an unknown one with the same description', async () => {
    await expectInvalidGrant(checkGrantStillValid(deps({ user: { ...USER, disabled: true } }).checks, INPUT), 'the account is disabled');
    await expectInvalidGrant(checkGrantStillValid(deps({ user: undefined }).checks, INPUT), 'the account is disabled');
  });

  it('refuses a password changed one second after the grant and accepts one changed in the same second', async () => {
    await expectInvalidGrant(checkGrantStillValid(deps({ user: { ...USER, passwordChangedAt: T0 + 1 } }).checks, INPUT), 'the grant ended when the password changed');
    expect(await checkGrantStillValid(deps({ user: { ...USER, passwordChangedAt: T0 } }).checks, INPUT)).toEqual({ ...USER, passwordChangedAt: T0 });
  });

  it('refuses when consent no longer covers every scope of the grant, built-in scopes included', async () => {
    await expectInvalidGrant(checkGrantStillValid(deps({ consented: [] }).checks, INPUT), 'consent for this grant was withdrawn');
    await expectInvalidGrant(checkGrantStillValid(deps({ consented: [READ] }).checks, INPUT), 'consent for this grant was withdrawn');
    await expectInvalidGrant(checkGrantStillValid(deps({ consented: [READ] }).checks, { ...INPUT, scopes: ['openid', READ] }), 'consent for this grant was withdrawn');
  });

  it('accepts consent wider than the grant', async () => {
    expect(await checkGrantStillValid(deps({ consented: [READ, WRITE, 'openid'] }).checks, { ...INPUT, scopes: [READ] })).toBe(USER);
  });

  it('does not consult consent for a client that skips it', async () => {
    const { checks, calls } = deps({ consented: [] });
    expect(await checkGrantStillValid(checks, { ...INPUT, client: { ...CLIENT, consentMode: 'skip' } })).toBe(USER);
    expect(calls).toEqual([`findUser ${TENANT} user-1`]);
  });

  it('accepts an empty scope list whatever consent holds (the code exchange passes none)', async () => {
    expect(await checkGrantStillValid(deps({ consented: [] }).checks, { ...INPUT, scopes: [] })).toBe(USER);
  });
});
