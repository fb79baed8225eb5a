import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseKeyEncryptionKey } from './keys/key-encryption.js';
import type { SignInLimits } from './protocol/sign-in.js';

/**
 * Gatehouse configuration: one defaults object, overridden by environment variables and then by
 * command-line flags, validated and frozen at start-up. Misconfiguration fails loudly here.
 */
export interface GatehouseConfig {
  /** Address to listen on. Default 127.0.0.1. */
  readonly host: string;
  /** TCP port. Default 8080. */
  readonly port: number;
  /**
   * The URL people and clients reach the server at; issuers and every published URL derive from
   * it, never from request headers. Default http://localhost:{port}.
   */
  readonly publicUrl: string;
  /** SQLite file path or postgres:// URL. Default ./data/gatehouse.sqlite. */
  readonly database: string;
  /** Access-token lifetime in seconds. Default 900 (15 minutes). */
  readonly accessTokenTtlSeconds: number;
  /** id_token lifetime in seconds. Default 300 (5 minutes): it is read once, at sign-in. */
  readonly idTokenTtlSeconds: number;
  /** Authorization-code lifetime in seconds. Default 60 (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  readonly codeTtlSeconds: number;
  /** How long a person has to sign in and consent, in seconds. Default 600. */
  readonly pendingAuthorizationTtlSeconds: number;
  /** Sign-in session lifetime in seconds. Default 28800 (8 hours). */
  readonly sessionTtlSeconds: number;
  /** Failed sign-ins per username from one client address before throttling. Default 5. */
  readonly loginMaxFailures: number;
  /** Failed sign-ins per username from all addresses together. Default 100. */
  readonly loginMaxFailuresPerUsername: number;
  /** Failed sign-ins per client address over all usernames (password spraying). Default 20. */
  readonly loginMaxFailuresPerAddress: number;
  /** Realm-wide failures per window beyond which the per-address limit is quartered. Default 1000. */
  readonly loginRealmAlertFailures: number;
  /**
   * Proxies whose X-Forwarded-For is believed for the client address (sign-in throttling), as
   * addresses or CIDR ranges. Default none: the TCP peer is the client.
   */
  readonly trustProxy: readonly string[];
  /**
   * The 256-bit key-encryption key that seals the signing keys at rest (keys/key-encryption.ts),
   * from GATEHOUSE_KEY_ENCRYPTION_KEY or the file named by GATEHOUSE_KEY_ENCRYPTION_KEY_FILE.
   * A secret: not enumerable, so it never appears when the configuration is printed. Default none.
   */
  readonly keyEncryptionKey?: Buffer;
  /** Window the failures are counted in, and the lock-out length, in seconds. Default 300. */
  readonly loginFailureWindowSeconds: number;
  /** How long a replaced signing key stays published after a rotation, in seconds. Default 86400. */
  readonly retiredKeyPublishSeconds: number;
  /** Log level for pino. Default info. */
  readonly logLevel: string;
  /** SQLite durability: FULL (default, every commit synced) or NORMAL (faster; see store/database.ts). */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
}

export const DEFAULT_CONFIG: GatehouseConfig = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  publicUrl: '',
  database: './data/gatehouse.sqlite',
  accessTokenTtlSeconds: 900,
  idTokenTtlSeconds: 300,
  codeTtlSeconds: 60,
  pendingAuthorizationTtlSeconds: 600,
  sessionTtlSeconds: 28_800,
  loginMaxFailures: 5,
  loginMaxFailuresPerUsername: 100,
  loginMaxFailuresPerAddress: 20,
  loginRealmAlertFailures: 1000,
  trustProxy: Object.freeze([]) as readonly string[],
  loginFailureWindowSeconds: 300,
  retiredKeyPublishSeconds: 86_400,
  logLevel: 'info',
  sqliteSynchronous: 'FULL',
});

const ENVIRONMENT: Record<string, keyof GatehouseConfig> = {
  GATEHOUSE_HOST: 'host',
  GATEHOUSE_PORT: 'port',
  GATEHOUSE_PUBLIC_URL: 'publicUrl',
  GATEHOUSE_DATABASE: 'database',
  GATEHOUSE_DATABASE_URL: 'database',
  GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS: 'accessTokenTtlSeconds',
  GATEHOUSE_CODE_TTL_SECONDS: 'codeTtlSeconds',
  GATEHOUSE_ID_TOKEN_TTL_SECONDS: 'idTokenTtlSeconds',
  GATEHOUSE_SESSION_TTL_SECONDS: 'sessionTtlSeconds',
  GATEHOUSE_LOG_LEVEL: 'logLevel',
  GATEHOUSE_LOGIN_MAX_FAILURES: 'loginMaxFailures',
  GATEHOUSE_LOGIN_MAX_FAILURES_PER_USERNAME: 'loginMaxFailuresPerUsername',
  GATEHOUSE_LOGIN_MAX_FAILURES_PER_ADDRESS: 'loginMaxFailuresPerAddress',
  GATEHOUSE_LOGIN_FAILURE_WINDOW_SECONDS: 'loginFailureWindowSeconds',
  GATEHOUSE_LOGIN_REALM_ALERT_FAILURES: 'loginRealmAlertFailures',
  GATEHOUSE_TRUST_PROXY: 'trustProxy',
  GATEHOUSE_KEY_ENCRYPTION_KEY: 'keyEncryptionKey',
  GATEHOUSE_SQLITE_SYNCHRONOUS: 'sqliteSynchronous',
};

/** The sign-in throttling limits (protocol/sign-in.ts) of a configuration. */
export function signInLimits(config: GatehouseConfig): SignInLimits {
  return {
    windowSeconds: config.loginFailureWindowSeconds,
    perUsernameAndAddress: config.loginMaxFailures,
    perUsername: config.loginMaxFailuresPerUsername,
    perAddress: config.loginMaxFailuresPerAddress,
    realmAlertFailures: config.loginRealmAlertFailures,
  };
}

export class ConfigError extends Error {}

/** Builds the configuration from defaults, environment and explicit overrides (flags). */
export function loadConfig(
  overrides: Partial<Record<keyof GatehouseConfig, string | number | undefined>> = {},
  env: NodeJS.ProcessEnv = process.env,
): GatehouseConfig {
  const { trustProxy, keyEncryptionKey: _none, ...defaults } = DEFAULT_CONFIG;
  const raw: Record<string, string | number> = { ...defaults, trustProxy: trustProxy.join(',') };
  for (const [variable, key] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const kekFile = env.GATEHOUSE_KEY_ENCRYPTION_KEY_FILE;
  if (kekFile) {
    if (raw.keyEncryptionKey !== undefined)
      throw new ConfigError('set GATEHOUSE_KEY_ENCRYPTION_KEY or GATEHOUSE_KEY_ENCRYPTION_KEY_FILE, not both');
    try {
      raw.keyEncryptionKey = readFileSync(kekFile, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read GATEHOUSE_KEY_ENCRYPTION_KEY_FILE ${kekFile}: ${(error as Error).message}`);
    }
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) raw[key] = value;
  }
  return validateConfig(raw);
}

function validateConfig(raw: Record<string, string | number>): GatehouseConfig {
  const config = validateSettings(raw);
  if (raw.keyEncryptionKey === undefined || raw.keyEncryptionKey === '') return Object.freeze(config);
  let keyEncryptionKey: Buffer;
  try {
    keyEncryptionKey = parseKeyEncryptionKey(String(raw.keyEncryptionKey), 'the key-encryption key');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  Object.defineProperty(config, 'keyEncryptionKey', { value: keyEncryptionKey, enumerable: false });
  return Object.freeze(config);
}

function validateSettings(raw: Record<string, string | number>): GatehouseConfig {
  const integer = (key: keyof GatehouseConfig, min: number, max: number): number => {
    const value = Number(raw[key]);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new ConfigError(`${key} must be an integer from ${min} to ${max}, got ${raw[key]}`);
    return value;
  };
  const port = integer('port', 0, 65_535);
  const publicUrl = String(raw.publicUrl || `http://localhost:${port}`).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new ConfigError(`publicUrl is not a URL: ${publicUrl}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConfigError('publicUrl must be http or https');
  if (parsed.search || parsed.hash) throw new ConfigError('publicUrl must not have a query or fragment');
  return {
    host: String(raw.host),
    port,
    publicUrl,
    database: String(raw.database),
    accessTokenTtlSeconds: integer('accessTokenTtlSeconds', 1, 86_400),
    idTokenTtlSeconds: integer('idTokenTtlSeconds', 30, 86_400),
    codeTtlSeconds: integer('codeTtlSeconds', 5, 600),
    pendingAuthorizationTtlSeconds: integer('pendingAuthorizationTtlSeconds', 60, 86_400),
    sessionTtlSeconds: integer('sessionTtlSeconds', 60, 31_536_000),
    loginMaxFailures: integer('loginMaxFailures', 1, 1000),
    loginMaxFailuresPerUsername: integer('loginMaxFailuresPerUsername', 1, 1_000_000),
    loginMaxFailuresPerAddress: integer('loginMaxFailuresPerAddress', 1, 1_000_000),
    loginRealmAlertFailures: integer('loginRealmAlertFailures', 1, 100_000_000),
    trustProxy: parseTrustProxy(raw.trustProxy),
    loginFailureWindowSeconds: integer('loginFailureWindowSeconds', 1, 86_400),
    retiredKeyPublishSeconds: integer('retiredKeyPublishSeconds', 0, 31_536_000),
    logLevel: String(raw.logLevel),
    sqliteSynchronous: oneOf(raw.sqliteSynchronous, ['FULL', 'NORMAL'] as const, 'sqliteSynchronous'),
  };
}

/** A comma-separated list of IPv4/IPv6 addresses or CIDR ranges; never "all" (any client could then forge its address). */
function parseTrustProxy(value: unknown): readonly string[] {
  const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
  const entries = list.map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const ok =
      rest.length === 0 &&
      address !== undefined &&
      isIP(address) !== 0 &&
      (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128)));
    if (!ok) throw new ConfigError(`trustProxy must list IP addresses or CIDR ranges, got ${entry}`);
  }
  return Object.freeze(entries);
}

function oneOf<T extends string>(value: string | number | undefined, allowed: readonly T[], key: string): T {
  if (!allowed.includes(String(value) as T))
    throw new ConfigError(`${key} must be one of ${allowed.join(', ')}, got ${value}`);
  return String(value) as T;
}
