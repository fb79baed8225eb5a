/**
 * Scopes every client may request without their being assigned (none yet: the OpenID Connect
 * scopes join this list with OIDC support), with the words the consent page shows for them.
 */
export const BUILT_IN_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({});

export const BUILT_IN_SCOPES: ReadonlySet<string> = new Set(Object.keys(BUILT_IN_SCOPE_DESCRIPTIONS));
