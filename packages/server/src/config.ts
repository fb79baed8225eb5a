import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseKeyEncryptionKey } from './keys/key-encryption.js';
import type { SignInLimits } from './protocol/sign-in.js';

/**
 * Gatehouse configuration: one defaults object, overridden by environment variables and then by
 * command-line flags, validated and frozen at start-up. Misconfiguration fails loudly here, and
 * every message names what a person actually sets (the flag or the environment variable), with
 * the allowed values, never an internal key.
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
  /** Log level for pino: fatal, error, warn, info (default), debug, trace or silent. */
  readonly logLevel: LogLevel;
  /** SQLite durability: FULL (default, every commit synced) or NORMAL (faster; see store/database.ts). */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /**
   * Port of the management listener serving Prometheus metrics at /metrics, on the same host as
   * the server and never on the public port. Default 9464 (Prometheus' exporter convention); 0
   * turns metrics off.
   */
  readonly metricsPort: number;
  /**
   * On SIGTERM/SIGINT, how long requests already in flight may take to be answered before the
   * remaining connections are closed, in seconds. Default 10.
   */
  readonly shutdownTimeoutSeconds: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  metricsPort: 9464,
  shutdownTimeoutSeconds: 10,
});

type Key = keyof GatehouseConfig;

/** The environment variables read, in order (a later one wins when both are set). */
export const ENVIRONMENT: Readonly<Record<string, Key>> = Object.freeze({
  GATEHOUSE_HOST: 'host',
  GATEHOUSE_PORT: 'port',
  GATEHOUSE_PUBLIC_URL: 'publicUrl',
  GATEHOUSE_DATABASE: 'database',
  GATEHOUSE_DATABASE_URL: 'database',
  GATEHOUSE_ACCESS_TOKEN_TTL_SECONDS: 'accessTokenTtlSeconds',
  GATEHOUSE_CODE_TTL_SECONDS: 'codeTtlSeconds',
  GATEHOUSE_ID_TOKEN_TTL_SECONDS: 'idTokenTtlSeconds',
  GATEHOUSE_PENDING_AUTHORIZATION_TTL_SECONDS: 'pendingAuthorizationTtlSeconds',
  GATEHOUSE_SESSION_TTL_SECONDS: 'sessionTtlSeconds',
  GATEHOUSE_LOGIN_MAX_FAILURES: 'loginMaxFailures',
  GATEHOUSE_LOGIN_FAILURE_WINDOW_SECONDS: 'loginFailureWindowSeconds',
  GATEHOUSE_LOGIN_MAX_FAILURES_PER_USERNAME: 'loginMaxFailuresPerUsername',
  GATEHOUSE_LOGIN_MAX_FAILURES_PER_ADDRESS: 'loginMaxFailuresPerAddress',
  GATEHOUSE_LOGIN_REALM_ALERT_FAILURES: 'loginRealmAlertFailures',
  GATEHOUSE_TRUST_PROXY: 'trustProxy',
  GATEHOUSE_KEY_ENCRYPTION_KEY: 'keyEncryptionKey',
  GATEHOUSE_RETIRED_KEY_PUBLISH_SECONDS: 'retiredKeyPublishSeconds',
  GATEHOUSE_LOG_LEVEL: 'logLevel',
  GATEHOUSE_SQLITE_SYNCHRONOUS: 'sqliteSynchronous',
  GATEHOUSE_METRICS_PORT: 'metricsPort',
  GATEHOUSE_SHUTDOWN_TIMEOUT_SECONDS: 'shutdownTimeoutSeconds',
});

/** The `gatehouse start` flag for each setting that has one. */
export const FLAGS: Readonly<Partial<Record<Key, string>>> = Object.freeze({
  host: '--host',
  port: '--port',
  publicUrl: '--public-url',
  database: '--database',
  metricsPort: '--metrics-port',
  shutdownTimeoutSeconds: '--shutdown-timeout',
  trustProxy: '--trust-proxy',
});

export class ConfigError extends Error {}

type RawValue = string | number;
/** A setting's raw value and the name a person set it by (flag, variable, or the key for defaults). */
interface Raw {
  readonly value: RawValue;
  readonly source: string;
}

/** Builds the configuration from defaults, environment and explicit overrides (flags). */
export function loadConfig(
  overrides: Partial<Record<Key, RawValue | undefined>> = {},
  env: NodeJS.ProcessEnv = process.env,
): GatehouseConfig {
  const raw = new Map<Key, Raw>();
  for (const [key, value] of Object.entries(DEFAULT_CONFIG) as [Key, RawValue | readonly string[]][])
    raw.set(key, { value: Array.isArray(value) ? value.join(',') : (value as RawValue), source: settingName(key) });
  for (const [variable, key] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw.set(key, { value, source: variable });
  }
  const kekFile = env.GATEHOUSE_KEY_ENCRYPTION_KEY_FILE;
  if (kekFile) {
    if (raw.has('keyEncryptionKey'))
      throw new ConfigError('set GATEHOUSE_KEY_ENCRYPTION_KEY or GATEHOUSE_KEY_ENCRYPTION_KEY_FILE, not both');
    try {
      raw.set('keyEncryptionKey', {
        value: readFileSync(kekFile, 'utf8'),
        source: 'GATEHOUSE_KEY_ENCRYPTION_KEY_FILE',
      });
    } catch (error) {
      throw new ConfigError(
        `cannot read GATEHOUSE_KEY_ENCRYPTION_KEY_FILE ${kekFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  for (const [key, value] of Object.entries(overrides) as [Key, RawValue | undefined][]) {
    if (value !== undefined) raw.set(key, { value, source: FLAGS[key] ?? key });
  }
  return validateConfig(raw);
}

/** What a person sets for `key`: its flag and environment variable, e.g. "--port / GATEHOUSE_PORT". */
export function settingName(key: Key): string {
  const variable = Object.entries(ENVIRONMENT).find(([, k]) => k === key)?.[0];
  return [FLAGS[key], variable].filter(Boolean).join(' / ') || key;
}

function validateConfig(raw: Map<Key, Raw>): GatehouseConfig {
  const get = (key: Key): Raw => raw.get(key) as Raw;
  const integer = (key: Key, min: number, max: number, unit = ''): number => {
    const { value, source } = get(key);
    const number = typeof value === 'number' ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isInteger(number) || number < min || number > max)
      throw new ConfigError(`${source} must be an integer from ${min} to ${max}${unit}, got ${JSON.stringify(value)}`);
    return number;
  };
  const seconds = (key: Key, min: number, max: number): number => integer(key, min, max, ' (seconds)');
  const port = integer('port', 0, 65_535);
  const publicUrl = parsePublicUrl(get('publicUrl'), port);
  const config: GatehouseConfig = {
    host: nonEmpty(get('host')),
    port,
    publicUrl,
    database: nonEmpty(get('database')),
    accessTokenTtlSeconds: seconds('accessTokenTtlSeconds', 1, 86_400),
    idTokenTtlSeconds: seconds('idTokenTtlSeconds', 30, 86_400),
    codeTtlSeconds: seconds('codeTtlSeconds', 5, 600),
    pendingAuthorizationTtlSeconds: seconds('pendingAuthorizationTtlSeconds', 60, 86_400),
    sessionTtlSeconds: seconds('sessionTtlSeconds', 60, 31_536_000),
    loginMaxFailures: integer('loginMaxFailures', 1, 1000),
    loginMaxFailuresPerUsername: integer('loginMaxFailuresPerUsername', 1, 1_000_000),
    loginMaxFailuresPerAddress: integer('loginMaxFailuresPerAddress', 1, 1_000_000),
    loginRealmAlertFailures: integer('loginRealmAlertFailures', 1, 100_000_000),
    trustProxy: parseTrustProxy(get('trustProxy')),
    loginFailureWindowSeconds: seconds('loginFailureWindowSeconds', 1, 86_400),
    retiredKeyPublishSeconds: seconds('retiredKeyPublishSeconds', 0, 31_536_000),
    logLevel: oneOf(get('logLevel'), LOG_LEVELS),
    sqliteSynchronous: oneOf(get('sqliteSynchronous'), ['FULL', 'NORMAL'] as const),
    metricsPort: integer('metricsPort', 0, 65_535, ' (0 turns metrics off)'),
    shutdownTimeoutSeconds: seconds('shutdownTimeoutSeconds', 0, 600),
  };
  const kek = raw.get('keyEncryptionKey');
  if (kek && String(kek.value) !== '') {
    let keyEncryptionKey: Buffer;
    try {
      keyEncryptionKey = parseKeyEncryptionKey(String(kek.value), kek.source);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
    Object.defineProperty(config, 'keyEncryptionKey', { value: keyEncryptionKey, enumerable: false });
  }
  return Object.freeze(config);
}

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

/** A comma-separated list of IPv4/IPv6 addresses or CIDR ranges; never "all" (any client could then forge its address). */
function parseTrustProxy({ value, source }: Raw): readonly string[] {
  const entries = String(value)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const ok =
      rest.length === 0 &&
      address !== undefined &&
      isIP(address) !== 0 &&
      (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128)));
    if (!ok) throw new ConfigError(`${source} must list IP addresses or CIDR ranges, got ${JSON.stringify(entry)}`);
  }
  return Object.freeze(entries);
}

function parsePublicUrl({ value, source }: Raw, port: number): string {
  const publicUrl = String(value || `http://localhost:${port}`).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new ConfigError(`${source} must be an absolute http:// or https:// URL, got ${JSON.stringify(publicUrl)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConfigError(`${source} must be an http:// or https:// URL, got ${JSON.stringify(publicUrl)}`);
  if (parsed.search || parsed.hash)
    throw new ConfigError(`${source} must not have a query or fragment, got ${JSON.stringify(publicUrl)}`);
  return publicUrl;
}

function nonEmpty({ value, source }: Raw): string {
  const text = String(value).trim();
  if (!text) throw new ConfigError(`${source} must not be empty`);
  return text;
}

function oneOf<T extends string>({ value, source }: Raw, allowed: readonly T[]): T {
  const text = String(value).trim();
  // Case-insensitive: GATEHOUSE_LOG_LEVEL=DEBUG means what it says.
  const match = allowed.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (!match) throw new ConfigError(`${source} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return match;
}
