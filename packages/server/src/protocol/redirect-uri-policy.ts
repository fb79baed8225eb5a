/** RFC 8252 §7.3 loopback hosts: the only hosts allowed plain http. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Which redirect URIs may be registered (RFC 9700 §4.1.3, OAuth 2.1 §2.3): absolute, no
 * fragment (RFC 6749 §3.1.2), no wildcards, https, or http only to a loopback host.
 * Returns the reason a URI is refused, or undefined if it is acceptable.
 */
export function redirectUriRejection(uri: string): string | undefined {
  if (uri.includes('#')) return 'must not contain a fragment';
  if (uri.includes('*')) return 'must not contain wildcards';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:')
    return LOOPBACK_HOSTS.has(url.hostname)
      ? undefined
      : 'must use https (http is allowed only for localhost, 127.0.0.1 and [::1])';
  return 'must use https';
}
