// Option checks shared by the factories. A bad option is a programming error, reported when the
// object is built (at start-up) with a message naming the option, never at the first request.

export function readSeconds(
  value: unknown,
  name: string,
  defaultValue: number,
  { allowZero }: { allowZero: boolean },
): number {
  if (value === undefined) return defaultValue;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    const bound = allowZero ? '>= 0' : '> 0';
    throw new TypeError(`${name} must be a finite number of seconds ${bound}, got ${String(value)}`);
  }
  return value;
}

export function readFunction<T>(value: unknown, name: string, defaultValue: T): T {
  if (value === undefined) return defaultValue;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function`);
  return value as T;
}

/** An absolute http(s) URL, compared later as the exact string given (RFC 9068 §4 step 3). */
export function readHttpUrl(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function readNonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

/**
 * Resolves an "address per issuer" option: a string (only with a single issuer), a function of
 * the issuer, or, when absent, `${issuer}${defaultPath}`. Every address is checked at start-up.
 */
export function readPerIssuerUrls(
  issuers: readonly string[],
  option: unknown,
  name: string,
  defaultPath: string,
): ReadonlyMap<string, string> {
  if (typeof option === 'string' && issuers.length > 1) {
    throw new TypeError(`${name} as a string needs a single issuer; pass a function (issuer) => uri for several`);
  }
  if (option !== undefined && typeof option !== 'string' && typeof option !== 'function') {
    throw new TypeError(`${name} must be a string or a function`);
  }
  const urls = new Map<string, string>();
  for (const issuer of issuers) {
    const url =
      option === undefined
        ? `${issuer.replace(/\/$/, '')}${defaultPath}`
        : typeof option === 'string'
          ? option
          : (option as (issuer: string) => unknown)(issuer);
    urls.set(issuer, readHttpUrl(url, `${name} for ${issuer}`));
  }
  return urls;
}
