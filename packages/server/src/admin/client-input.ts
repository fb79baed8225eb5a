import { DEFAULT_REFRESH_POLICY, type Platform, type RefreshTokenPolicy } from '../protocol/model.js';
import { redirectUriRejection } from '../protocol/redirect-uri-policy.js';
import { AdminInputError } from './errors.js';

/** Refresh settings as the CLI (strings) and the API (numbers, booleans) give them. */
export interface RefreshPolicyInput {
  /** `on` / `off` (CLI) or a boolean (API). */
  refreshTokens?: string | boolean;
  refreshAbsoluteTtlSeconds?: string | number;
  refreshIdleTtlSeconds?: string | number;
  refreshGraceSeconds?: string | number;
}

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
  field: string,
): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value))
    throw new AdminInputError(`${flag} must be one of ${allowed.join(', ')}`, field);
  return value as T;
}

/** Redirect URIs (RFC 9700 §4.1.3 policy), deduplicated; `required` when at least one is needed. */
export function checkRedirectUris(
  uris: readonly string[] | undefined,
  flag: string,
  field: string,
  required: boolean,
): string[] {
  const list = [...new Set(uris ?? [])];
  if (required && list.length === 0) throw new AdminInputError(`at least one ${flag} is required`, field);
  (uris ?? []).forEach((uri, index) => {
    const reason = redirectUriRejection(uri);
    if (reason) throw new AdminInputError(`${flag} ${uri} ${reason}`, `${field}/${index}`);
  });
  return list;
}

/** The policy from `base` (the platform default, or the client's current one) with the input applied. */
export function refreshPolicy(base: RefreshTokenPolicy, input: RefreshPolicyInput, fresh: boolean): RefreshTokenPolicy {
  const enabled =
    input.refreshTokens === undefined
      ? base.enabled
      : typeof input.refreshTokens === 'boolean'
        ? input.refreshTokens
        : oneOf(input.refreshTokens, ['on', 'off'], '--refresh-tokens', '/refresh_tokens/enabled') === 'on';
  const seconds = (
    value: string | number | undefined,
    fallback: number,
    flag: string,
    field: string,
    min: number,
  ): number => {
    if (value === undefined) return fallback;
    const parsed = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < min || parsed > 31_536_000)
      throw new AdminInputError(`${flag} must be a whole number of seconds from ${min} to 31536000`, field);
    return parsed;
  };
  const absoluteTtlSeconds = seconds(
    input.refreshAbsoluteTtlSeconds,
    base.absoluteTtlSeconds,
    '--refresh-absolute-ttl',
    '/refresh_tokens/absolute_ttl_seconds',
    60,
  );
  const idleTtlSeconds = seconds(
    input.refreshIdleTtlSeconds,
    fresh ? Math.min(base.idleTtlSeconds, absoluteTtlSeconds) : base.idleTtlSeconds,
    '--refresh-idle-ttl',
    '/refresh_tokens/idle_ttl_seconds',
    60,
  );
  const graceSeconds = seconds(
    input.refreshGraceSeconds,
    base.graceSeconds,
    '--refresh-grace',
    '/refresh_tokens/grace_seconds',
    0,
  );
  if (idleTtlSeconds > absoluteTtlSeconds)
    throw new AdminInputError(
      '--refresh-idle-ttl must not exceed --refresh-absolute-ttl',
      '/refresh_tokens/idle_ttl_seconds',
    );
  if (graceSeconds > 60)
    throw new AdminInputError('--refresh-grace must be at most 60 seconds', '/refresh_tokens/grace_seconds');
  return { enabled, absoluteTtlSeconds, idleTtlSeconds, graceSeconds };
}

export function defaultRefreshPolicy(platform: Platform): RefreshTokenPolicy {
  return DEFAULT_REFRESH_POLICY[platform];
}
