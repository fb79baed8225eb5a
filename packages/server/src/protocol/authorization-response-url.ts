/**
 * The redirect back to the client. RFC 9207 §2: `iss` goes with every response, success or
 * error, so the client can detect mix-up attacks; `state` is echoed byte for byte.
 */
export function buildAuthorizationResponseUrl(
  redirectUri: string,
  parameters: Record<string, string | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) query.append(name, value);
  }
  const encoded = query.toString();
  if (encoded === '') return redirectUri;
  // Appended rather than rebuilt through URL, so the registered URI is kept exactly as written.
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}`;
}
