/**
 * Matches a console route (path relative to /admin/, no leading or trailing slash) against a
 * pattern like `tenants/:t/clients/:c`; returns the decoded parameters, or undefined.
 */
export function match(pattern: string, route: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = route.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const part = want[i]!;
    const value = got[i]!;
    if (part.startsWith(':')) {
      if (!value) return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (part !== value) return undefined;
  }
  return params;
}

/** `path` plus the query parameters that have a value (empty strings, null, undefined left out). */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
