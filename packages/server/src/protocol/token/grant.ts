import type { RawParameters } from '../parameters.js';
import type { Client, Realm, Tenant } from '../model.js';

/** What every grant handler receives: the realm, its tenant, the authenticated client, the form. */
export interface TokenRequest {
  readonly realm: Realm;
  readonly tenant: Tenant;
  readonly client: Client;
  readonly parameters: RawParameters;
}

/** RFC 6749 §5.1 successful response. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
}

export type GrantHandler = (request: TokenRequest) => Promise<TokenResponse>;
