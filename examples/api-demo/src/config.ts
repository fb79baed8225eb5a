/**
 * Configuration of the demo API: defaults that match `gatehouse start --demo`, overridden by
 * environment variables, validated and frozen at start-up.
 */
export interface ApiDemoConfig {
  /** Address to listen on. Default 127.0.0.1 (`API_DEMO_HOST`). */
  readonly host: string;
  /** TCP port. Default 8081 (`API_DEMO_PORT`). */
  readonly port: number;
  /**
   * This API's identifier: the tenant's API domain, which Gatehouse puts in `aud`.
   * Default http://localhost:{port} (`API_DEMO_AUDIENCE`).
   */
  readonly audience: string;
  /** The realm issuers whose tokens are accepted: the tenant's agent (-U) and customer (-C) realms. */
  readonly issuers: readonly string[];
  /** Where each issuer's key set is fetched from. */
  readonly jwksUri: (issuer: string) => string;
  /**
   * Ask Gatehouse about every token (RFC 7662), so a revoked token is refused at once, with the
   * credentials of a confidential client of the tenant (`API_DEMO_INTROSPECTION_CLIENT_ID` and
   * `API_DEMO_INTROSPECTION_CLIENT_SECRET`). Default: off, tokens are checked locally only.
   */
  readonly introspection: { clientId: string; clientSecret: string; endpoint: (issuer: string) => string } | undefined;
  /** Browser origins allowed to call the API (CORS). Default http://localhost:5173 (`API_DEMO_CORS_ORIGINS`, comma-separated). */
  readonly corsOrigins: readonly string[];
  /** pino log level. Default info (`API_DEMO_LOG_LEVEL`). */
  readonly logLevel: string;
}

export const API_DEMO_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8081,
  /** Gatehouse's public URL: the issuers derive from it (`API_DEMO_GATEHOUSE_URL`). */
  gatehouseUrl: 'http://localhost:8080',
  /** The tenant whose realms are trusted (`API_DEMO_TENANT`). */
  tenant: 'TMPRODB88619984',
  corsOrigins: 'http://localhost:5173',
});

export class ApiDemoConfigError extends Error {}

/**
 * Builds the configuration from the environment. `API_DEMO_GATEHOUSE_INTERNAL_URL` is where this
 * process reaches Gatehouse (keys, introspection); by default the public URL with `localhost`
 * replaced by 127.0.0.1, because Node may resolve `localhost` to ::1 while Gatehouse listens on
 * 127.0.0.1 only. The issuers keep the public URL: they must equal the tokens' `iss` exactly.
 */
export function loadApiDemoConfig(env: NodeJS.ProcessEnv = process.env): ApiDemoConfig {
  const read = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    return value ? value : fallback;
  };
  const port = Number(read('API_DEMO_PORT', String(API_DEMO_DEFAULTS.port)));
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ApiDemoConfigError(`API_DEMO_PORT must be an integer from 0 to 65535, got ${env.API_DEMO_PORT}`);

  const tenant = read('API_DEMO_TENANT', API_DEMO_DEFAULTS.tenant);
  if (!/^[A-Z0-9]+$/.test(tenant))
    throw new ApiDemoConfigError(`API_DEMO_TENANT must be upper-case letters and digits, got ${tenant}`);
  const gatehouseUrl = readBaseUrl(
    'API_DEMO_GATEHOUSE_URL',
    read('API_DEMO_GATEHOUSE_URL', API_DEMO_DEFAULTS.gatehouseUrl),
  );
  const internalUrl = readBaseUrl(
    'API_DEMO_GATEHOUSE_INTERNAL_URL',
    read('API_DEMO_GATEHOUSE_INTERNAL_URL', loopbackByAddress(gatehouseUrl)),
  );
  const internal = (issuer: string, path: string) => `${internalUrl}${issuer.slice(gatehouseUrl.length)}${path}`;
  const introspectionClientId = read('API_DEMO_INTROSPECTION_CLIENT_ID', '');
  const introspectionClientSecret = read('API_DEMO_INTROSPECTION_CLIENT_SECRET', '');
  if (!introspectionClientId !== !introspectionClientSecret) {
    throw new ApiDemoConfigError(
      'set both API_DEMO_INTROSPECTION_CLIENT_ID and API_DEMO_INTROSPECTION_CLIENT_SECRET, or neither',
    );
  }
  const audience = read('API_DEMO_AUDIENCE', `http://localhost:${port}`);
  readBaseUrl('API_DEMO_AUDIENCE', audience);
  const corsOrigins = read('API_DEMO_CORS_ORIGINS', API_DEMO_DEFAULTS.corsOrigins)
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => readOrigin(origin));

  const realmPath = (actor: 'U' | 'C') => `/system/auth/${tenant}-${actor}`;
  return Object.freeze({
    host: read('API_DEMO_HOST', API_DEMO_DEFAULTS.host),
    port,
    audience,
    issuers: Object.freeze([`${gatehouseUrl}${realmPath('U')}`, `${gatehouseUrl}${realmPath('C')}`]),
    jwksUri: (issuer: string) => internal(issuer, '/oauth2/jwks'),
    introspection: introspectionClientId
      ? Object.freeze({
          clientId: introspectionClientId,
          clientSecret: introspectionClientSecret,
          endpoint: (issuer: string) => internal(issuer, '/oauth2/introspect'),
        })
      : undefined,
    corsOrigins: Object.freeze(corsOrigins),
    logLevel: read('API_DEMO_LOG_LEVEL', 'info'),
  });
}

/** An http(s) URL without query or fragment, returned without a trailing slash. */
function readBaseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiDemoConfigError(`${name} must be an absolute URL, got ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ApiDemoConfigError(`${name} must be an http(s) URL, got ${value}`);
  if (url.search || url.hash) throw new ApiDemoConfigError(`${name} must not have a query or fragment, got ${value}`);
  return value.replace(/\/+$/, '');
}

/** A browser origin is scheme://host[:port], exactly as the Origin header carries it. */
function readOrigin(value: string): string {
  const url = new URL(readBaseUrl('API_DEMO_CORS_ORIGINS', value));
  if (url.origin !== value)
    throw new ApiDemoConfigError(
      `API_DEMO_CORS_ORIGINS entries must be origins such as http://localhost:5173, got ${value}`,
    );
  return value;
}

function loopbackByAddress(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname !== 'localhost') return url;
  parsed.hostname = '127.0.0.1';
  return parsed.href.replace(/\/+$/, '');
}
