import { InvalidRequest } from '../errors.js';

/**
 * OIDC Core §3.1.2.1 request parameters that shape the sign-in without changing what is
 * granted: `max_age`, `login_hint`, `ui_locales` (issue 11).
 */

/** Longest `login_hint` kept: a username or e-mail address, never a document. */
export const MAX_LOGIN_HINT_LENGTH = 255;
const MAX_AGE = /^\d{1,10}$/;
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const MAX_UI_LOCALES = 8;

/** `max_age`: allowable seconds since the person last actively signed in; 0 acts as prompt=login. */
export function checkMaxAge(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!MAX_AGE.test(value)) throw new InvalidRequest('max_age must be a non-negative integer number of seconds');
  return Number(value);
}

export function checkLoginHint(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > MAX_LOGIN_HINT_LENGTH) throw new InvalidRequest('login_hint is too long');
  return value.trim();
}

/**
 * `ui_locales`: space-separated BCP 47 tags in order of preference. A preference, not a
 * demand (§3.1.2.1 "an error SHOULD NOT result"): malformed tags are dropped, not refused.
 */
export function checkUiLocales(value: string | undefined): string | undefined {
  const tags = (value ?? '')
    .split(' ')
    .filter((tag) => LANGUAGE_TAG.test(tag))
    .slice(0, MAX_UI_LOCALES);
  return tags.length > 0 ? tags.join(' ') : undefined;
}

/**
 * §3.1.2.1: when the last active sign-in is older than `max_age` seconds the person must sign in
 * again; `max_age=0` always asks (the same as `prompt=login`).
 */
export function signInTooOld(maxAge: number | undefined, authTime: number, now: number): boolean {
  if (maxAge === undefined) return false;
  return maxAge === 0 || now - authTime > maxAge;
}
