import * as oauth from 'oauth4webapi';
import { ConfigurationError, GatehouseError } from '../errors.js';
import type { StaticClientOptions } from '../types.js';

const AUTHORIZE_PATH_SUFFIX = '/oauth2/authorize';

/**
 * Plain HTTP is accepted only for loopback hosts, the same hosts browsers treat as secure
 * contexts, so a local Gatehouse (`http://localhost:8080`) works in development while a
 * deployed one must use HTTPS (OAuth 2.1 §1.5).
 */
export function isLoopbackHttp(url: URL): boolean {
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Parses an endpoint option and rejects anything but HTTPS or loopback HTTP. */
export function parseEndpoint(name: string, value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ConfigurationError(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) {
    throw new ConfigurationError(`${name} must use https (plain http is allowed only for localhost), got ${url.href}`);
  }
  return url;
}

/**
 * The issuer of a Gatehouse realm is its authorization URL without the trailing
 * `/oauth2/authorize`: `https://host/system/auth/T-U/oauth2/authorize` has issuer
 * `https://host/system/auth/T-U`. Any other shape has no derivable issuer.
 */
export function deriveIssuer(authorizationUrl: URL): string {
  const { origin, pathname, search, hash } = authorizationUrl;
  if (!pathname.endsWith(AUTHORIZE_PATH_SUFFIX) || search || hash) {
    throw new ConfigurationError(
      `cannot derive the issuer from authorizationUrl ${authorizationUrl.href}: it does not end with ${AUTHORIZE_PATH_SUFFIX}; pass options.issuer`,
    );
  }
  return origin + pathname.slice(0, -AUTHORIZE_PATH_SUFFIX.length);
}

/**
 * Builds the metadata for a client configured with explicit URLs. Gatehouse always sends `iss`
 * on the callback, so it is required here exactly as when discovery advertises
 * `authorization_response_iss_parameter_supported` (RFC 9207 §3).
 */
export function staticMetadata(options: StaticClientOptions): oauth.AuthorizationServer {
  const authorizationUrl = parseEndpoint('authorizationUrl', options.authorizationUrl);
  // Compared as a string with `iss` (RFC 9207 §2.4), so an explicit issuer is kept as written.
  if (options.issuer !== undefined) parseEndpoint('issuer', options.issuer);
  const issuer = options.issuer ?? deriveIssuer(authorizationUrl);
  const optional = (name: string, value: string | undefined) =>
    value === undefined ? undefined : parseEndpoint(name, value).href;
  return {
    issuer,
    authorization_endpoint: authorizationUrl.href,
    token_endpoint: parseEndpoint('tokenUrl', options.tokenUrl).href,
    revocation_endpoint: optional('revocationUrl', options.revocationUrl),
    end_session_endpoint: optional('endSessionUrl', options.endSessionUrl),
    userinfo_endpoint: optional('userinfoUrl', options.userinfoUrl),
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  };
}

/**
 * Fetches `${issuer}/.well-known/openid-configuration` and checks that it describes this issuer,
 * uses acceptable endpoint URLs, and supports S256 PKCE (OAuth 2.1 §4.1.1).
 */
export async function discoverMetadata(
  issuerOption: string,
  fetchImpl: typeof fetch,
): Promise<oauth.AuthorizationServer> {
  const issuer = parseEndpoint('issuer', issuerOption);
  let as: oauth.AuthorizationServer;
  try {
    const response = await oauth.discoveryRequest(issuer, httpOptions(issuer, fetchImpl));
    as = await oauth.processDiscoveryResponse(issuer, response);
  } catch (cause) {
    throw new GatehouseError(
      'discovery_failed',
      `could not read the metadata of issuer ${issuer.href}: ${(cause as Error).message}`,
      { cause },
    );
  }
  parseEndpoint('metadata authorization_endpoint', as.authorization_endpoint);
  parseEndpoint('metadata token_endpoint', as.token_endpoint);
  if (as.revocation_endpoint !== undefined) parseEndpoint('metadata revocation_endpoint', as.revocation_endpoint);
  if (as.end_session_endpoint !== undefined) parseEndpoint('metadata end_session_endpoint', as.end_session_endpoint);
  if (as.userinfo_endpoint !== undefined) parseEndpoint('metadata userinfo_endpoint', as.userinfo_endpoint);
  const methods = as.code_challenge_methods_supported;
  if (methods !== undefined && !methods.includes('S256')) {
    throw new ConfigurationError(`issuer ${as.issuer} does not support S256 PKCE (code_challenge_methods_supported)`);
  }
  return as;
}

/**
 * oauth4webapi request options: the injected fetch, and permission for plain HTTP, which
 * `parseEndpoint` has already limited to loopback hosts.
 */
export function httpOptions(
  url: URL | string,
  fetchImpl: typeof fetch,
): { [oauth.customFetch]: typeof fetch; [oauth.allowInsecureRequests]: boolean } {
  return {
    [oauth.customFetch]: fetchImpl,
    [oauth.allowInsecureRequests]: new URL(url).protocol === 'http:',
  };
}
