import { describe, expect, it } from 'vitest';
import { obtainTokens, postForm } from '../support/browser.js';
import {
  AGENT,
  ISSUER_U,
  SEED_CLIENT_ID,
  seedAuthorizeParams,
  testDialects,
  useTestServer,
} from '../support/harness.js';

for (const dialect of testDialects('refresh-token rotation under concurrency')) {
  describe(`refresh-token rotation under concurrency on ${dialect}`, () => {
    const server = useTestServer('all', { dialect });

    it('N parallel uses of one refresh token yield at most one success and never two live families', async () => {
      const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
      const responses = await Promise.all(
        Array.from({ length: 12 }, () =>
          postForm(server.app, ISSUER_U, '/oauth2/token', {
            grant_type: 'refresh_token',
            refresh_token: String(tokens.refresh_token),
            client_id: SEED_CLIENT_ID,
          }),
        ),
      );
      const successes = responses.filter((response) => response.statusCode === 200);
      expect(successes.length).toBeLessThanOrEqual(1);
      for (const failed of responses.filter((response) => response.statusCode !== 200)) {
        expect(failed.statusCode).toBe(400);
        expect(failed.json().error).toBe('invalid_grant');
      }
      // The losers were reuse: the family is revoked, so not even the winner's new token lives on.
      const live = await server.database.db
        .selectFrom('refresh_tokens')
        .select('token_hash')
        .where('rotated_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
      expect(live).toEqual([]);
      const families = await server.database.db.selectFrom('refresh_tokens').select('family_id').distinct().execute();
      expect(families).toHaveLength(1);
    });

    it('sequential rotations keep exactly one live token in the family', async () => {
      const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
      let token = String(tokens.refresh_token);
      for (let i = 0; i < 5; i++) {
        const response = await postForm(server.app, ISSUER_U, '/oauth2/token', {
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: SEED_CLIENT_ID,
        });
        expect(response.statusCode).toBe(200);
        token = response.json().refresh_token;
      }
      const { familyId } = (await server.context.repos.refreshTokens.findByHash(
        (await import('../../src/protocol/secrets.js')).hashOpaqueSecret(token),
      ))!;
      const live = await server.database.db
        .selectFrom('refresh_tokens')
        .select('token_hash')
        .where('family_id', '=', familyId)
        .where('rotated_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
      expect(live).toHaveLength(1);
    });
  });
}
