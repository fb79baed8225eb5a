// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). No space, `"` or `\`, so a valid
// scope never needs escaping inside a WWW-Authenticate quoted-string.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_TOKEN.test(value);
}

/** Splits a `scope` claim into its tokens; extra spaces are tolerated, duplicates removed. */
export function parseScopeClaim(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((token) => token !== ''))];
}

/**
 * Checks scopes a developer asked for (a configuration value, so a bad one is a programming error
 * and throws `TypeError` rather than answering the client).
 */
export function assertRequiredScopes(scopes: readonly unknown[], where: string): readonly string[] {
  for (const scope of scopes) {
    if (!isScopeToken(scope)) {
      const rule = `RFC 6749 §3.3: printable ASCII without space, '"' or '\\'`;
      throw new TypeError(`${where}: ${JSON.stringify(scope)} is not a valid scope (${rule})`);
    }
  }
  return Object.freeze([...new Set(scopes as readonly string[])]);
}
