/**
 * Scopes every client may request without their being assigned: the OpenID Connect scopes
 * (OIDC Core §5.4, §11), with the words the consent page shows for them.
 */
export const BUILT_IN_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  openid: 'Confirm who you are',
  profile: 'See your username',
  email: 'See your email address',
  offline_access: 'Stay signed in to the application',
});

export const BUILT_IN_SCOPES: ReadonlySet<string> = new Set(Object.keys(BUILT_IN_SCOPE_DESCRIPTIONS));
