import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from '../model.js';
import type { AuthorizationCodeRecord, AuthorizationCodeRepository } from '../ports.js';
import { hashOpaqueSecret } from '../secrets.js';
import { ACME_USER_REALM } from '../testing/fakes.js';
import { issueAuthorizationCode } from './issue-code.js';

const request: AuthorizationRequest = {
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  redirectUri: 'https://app.example.com/cb',
  scopes: ['core.read'],
  state: 'xyz',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  nonce: undefined,
};

describe('issueAuthorizationCode', () => {
  it('stores only the SHA-256 of a 32-byte random code, bound to the request, expiring after codeTtlSeconds', async () => {
    const inserted: Omit<AuthorizationCodeRecord, 'consumedAt' | 'accessTokenJti'>[] = [];
    const codes: AuthorizationCodeRepository = {
      insert: async (record) => void inserted.push(record),
      findByHash: async () => undefined,
      consume: async () => false,
    };
    const requestedBytes: number[] = [];
    const code = await issueAuthorizationCode(
      {
        codes,
        clock: { nowSeconds: () => 1_000 },
        random: {
          token: () => 'unused',
          sortableToken: (bytes) => (requestedBytes.push(bytes), 'random-code'),
          uuid: () => 'uuid',
        },
        codeTtlSeconds: 60,
      },
      { realm: ACME_USER_REALM, request, userId: 'user-1', sessionId: 'session-1', authTime: 990 },
    );
    expect(code).toBe('random-code');
    expect(requestedBytes).toEqual([32]);
    expect(inserted).toEqual([
      {
        codeHash: hashOpaqueSecret('random-code'),
        realmId: 'ACME-U',
        tenantId: 'ACME',
        clientId: request.clientId,
        userId: 'user-1',
        sessionId: 'session-1',
        redirectUri: 'https://app.example.com/cb',
        scopes: ['core.read'],
        codeChallenge: request.codeChallenge,
        nonce: null,
        authTime: 990,
        expiresAt: 1_060,
      },
    ]);
  });
});
