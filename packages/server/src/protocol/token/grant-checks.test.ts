import { describe, expect, it } from 'vitest';
import type { Client, User } from '../model.js';
import {
  expectInvalidGrant,
  READ,
  seedClient,
  SEED_TENANT,
  SEED_USER,
  SHORT_REFRESH_POLICY,
  T0,
  WRITE,
} from '../testing/fakes.js';
import { checkGrantStillValid, type GrantCheckDeps } from './grant-checks.js';

const TENANT = SEED_TENANT.id;
const CLIENT: Client = seedClient({ refreshTokens: SHORT_REFRESH_POLICY });
const USER: User = { ...SEED_USER, email: null, passwordHash: 'unused', passwordChangedAt: T0 - 100 };

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

describe('checkGrantStillValid', () => {
  it('returns the person when client, person, password and consent all still hold', async () => {
    const { checks, calls } = deps();
    expect(await checkGrantStillValid(checks, INPUT)).toBe(USER);
    expect(calls).toEqual([`findUser ${TENANT} user-1`, `grantedScopes user-1 ${CLIENT.clientId}`]);
  });

  it('refuses a disabled client before looking the person up', async () => {
    const { checks, calls } = deps();
    await expectInvalidGrant(
      checkGrantStillValid(checks, { ...INPUT, client: { ...CLIENT, disabled: true } }),
      'the client is disabled',
    );
    expect(calls).toEqual([]);
  });

  it('refuses a disabled person and an unknown one with the same description', async () => {
    await expectInvalidGrant(
      checkGrantStillValid(deps({ user: { ...USER, disabled: true } }).checks, INPUT),
      'the account is disabled',
    );
    await expectInvalidGrant(checkGrantStillValid(deps({ user: undefined }).checks, INPUT), 'the account is disabled');
  });

  it('refuses a password changed one second after the grant and accepts one changed in the same second', async () => {
    await expectInvalidGrant(
      checkGrantStillValid(deps({ user: { ...USER, passwordChangedAt: T0 + 1 } }).checks, INPUT),
      'the grant ended when the password changed',
    );
    expect(await checkGrantStillValid(deps({ user: { ...USER, passwordChangedAt: T0 } }).checks, INPUT)).toEqual({
      ...USER,
      passwordChangedAt: T0,
    });
  });

  it('refuses when consent no longer covers every scope of the grant, built-in scopes included', async () => {
    await expectInvalidGrant(
      checkGrantStillValid(deps({ consented: [] }).checks, INPUT),
      'consent for this grant was withdrawn',
    );
    await expectInvalidGrant(
      checkGrantStillValid(deps({ consented: [READ] }).checks, INPUT),
      'consent for this grant was withdrawn',
    );
    await expectInvalidGrant(
      checkGrantStillValid(deps({ consented: [READ] }).checks, { ...INPUT, scopes: ['openid', READ] }),
      'consent for this grant was withdrawn',
    );
  });

  it('accepts consent wider than the grant', async () => {
    expect(
      await checkGrantStillValid(deps({ consented: [READ, WRITE, 'openid'] }).checks, { ...INPUT, scopes: [READ] }),
    ).toBe(USER);
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
