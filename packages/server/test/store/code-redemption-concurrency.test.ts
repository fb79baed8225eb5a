import { describe, expect, it } from 'vitest';
import { exchangeCode, redirectParams, signInAndAllow, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  ISSUER_U,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_VERIFIER,
  seedAuthorizeParams,
  testDialects,
  useTestServer,
} from '../support/harness.js';

for (const dialect of testDialects('authorization code redemption under concurrency')) {
  describe(`authorization code redemption on ${dialect}`, () => {
    const server = useTestServer('all', { dialect });

    it('20 parallel redemptions of one code yield exactly one token response', async () => {
      const redirect = await signInAndAllow(new TestBrowser(server.app), ISSUER_U, seedAuthorizeParams(), AGENT);
      const code = redirectParams(redirect).get('code')!;
      const form = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SEED_REDIRECT_URI,
        client_id: SEED_CLIENT_ID,
        code_verifier: SEED_VERIFIER,
      };
      const responses = await Promise.all(Array.from({ length: 20 }, () => exchangeCode(server.app, ISSUER_U, form)));
      const statuses = responses.map((response) => response.statusCode).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 400)).toHaveLength(19);
      for (const failed of responses.filter((response) => response.statusCode === 400))
        expect(failed.json().error).toBe('invalid_grant');
      // The winner's token is revoked by the losers' valid replays (RFC 6749 §4.1.2).
      const winner = responses.find((response) => response.statusCode === 200)!;
      const { jti } = JSON.parse(Buffer.from(winner.json().access_token.split('.')[1], 'base64url').toString());
      expect(await server.context.repos.revokedTokens.isAccessTokenRevoked(jti)).toBe(true);
    });

    it('the repository consume is atomic: of 20 concurrent consumes exactly one succeeds', async () => {
      const codes = server.context.repos.codes;
      await codes.insert({
        codeHash: 'a'.repeat(64),
        realmId: 'TMPRODB88619984-U',
        tenantId: 'TMPRODB88619984',
        clientId: SEED_CLIENT_ID,
        userId: 'u1',
        sessionId: null,
        redirectUri: SEED_REDIRECT_URI,
        scopes: ['core.aiservices.read'],
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        nonce: null,
        authTime: 1,
        expiresAt: 2_000_000_000,
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => codes.consume('a'.repeat(64), 1_800_000_000, `jti-${i}`)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const record = await codes.findByHash('a'.repeat(64));
      expect(record!.accessTokenJti).toBe(`jti-${results.indexOf(true)}`);
    });
  });
}
