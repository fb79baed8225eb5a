import { BUILT_IN_SCOPES } from './built-in-scopes.js';
import { ID_TOKEN_SIGNING_ALGS, type Realm } from './model.js';
import type { ScopeCatalogue } from './ports.js';

/**
 * Authorization server metadata (RFC 8414 §2). Every URL derives from the configured public URL,
 * never from Host or X-Forwarded-* headers, so a forged header cannot redirect clients.
 */
export async function serverMetadata(
  deps: { scopes: ScopeCatalogue; signingAlgorithm: string },
  realm: Realm,
): Promise<Record<string, unknown>> {
  const issuer = realm.issuer;
  const tenantScopes = (await deps.scopes.listScopes(realm.tenantId)).map((scope) => scope.name);
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    userinfo_endpoint: `${issuer}/oauth2/userinfo`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    end_session_endpoint: `${issuer}/oauth2/logout`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: [...new Set([...BUILT_IN_SCOPES, ...tenantScopes])],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'at_hash',
      'preferred_username',
      'email',
      'email_verified',
    ],
    subject_types_supported: ['public'],
    // OIDC Discovery 1.0 §3: RS256 MUST be listed; each client picks one (id_token_signed_response_alg).
    id_token_signing_alg_values_supported: [...ID_TOKEN_SIGNING_ALGS],
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ['none', 'login', 'consent'],
    access_token_signing_alg_values_supported: [deps.signingAlgorithm],
  };
}
