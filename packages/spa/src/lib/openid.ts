/** Whether a scope string asks for OpenID Connect, so an ID token and a `nonce` are due (OIDC Core §3.1.2.1). */
export function requestsOpenId(scope: string): boolean {
  return scope.split(' ').includes('openid');
}

export interface EndSessionRequest {
  clientId: string;
  /** The ID token from sign-in; lets Gatehouse end the session without asking (RP-Initiated Logout §2). */
  idToken: string | undefined;
  returnTo: string | undefined;
  state: string;
}

/**
 * The RP-initiated logout URL. `state` only travels with `post_logout_redirect_uri`: without a
 * return address there is nothing to hand it back to.
 *
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export function buildEndSessionUrl(
  endpoint: string,
  { clientId, idToken, returnTo, state }: EndSessionRequest,
): string {
  const url = new URL(endpoint);
  url.searchParams.set('client_id', clientId);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  if (returnTo) {
    url.searchParams.set('post_logout_redirect_uri', returnTo);
    url.searchParams.set('state', state);
  }
  return url.href;
}
