import type { Kysely } from 'kysely';
import type { RevokedTokenRepository as Port } from '../protocol/ports.js';
import { hotPathOf, type HotPath } from './hot-path.js';
import type { Database } from './schema.js';

/** Access-token jtis revoked before their expiry, consulted by introspection and userinfo. */
export class RevokedTokenRepository implements Port {
  private readonly hot: HotPath;

  constructor(db: Kysely<Database>) {
    this.hot = hotPathOf(db);
  }

  async revokeAccessToken(jti: string, realmId: string, expiresAt: number): Promise<void> {
    await this.hot.write('revokeAccessToken', { jti, realmId, expiresAt });
  }

  async isAccessTokenRevoked(jti: string): Promise<boolean> {
    return (await this.hot.get('SELECT 1 AS revoked FROM revoked_access_tokens WHERE jti = ?', [jti])) !== undefined;
  }
}
