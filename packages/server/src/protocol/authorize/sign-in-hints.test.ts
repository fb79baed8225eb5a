import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '../errors.js';
import { checkLoginHint, checkMaxAge, checkUiLocales, signInTooOld } from './sign-in-hints.js';

describe('OIDC Core §3.1.2.1 sign-in hints', () => {
  it('max_age is a non-negative integer of seconds', () => {
    expect(checkMaxAge(undefined)).toBeUndefined();
    expect(checkMaxAge('')).toBeUndefined();
    expect(checkMaxAge('0')).toBe(0);
    expect(checkMaxAge('3600')).toBe(3600);
    for (const bad of ['-1', '1.5', 'abc', '1e3', '12345678901'])
      expect(() => checkMaxAge(bad)).toThrow(InvalidRequest);
  });

  it('a sign-in older than max_age, or any with max_age=0, needs a fresh one', () => {
    expect(signInTooOld(undefined, 0, 10_000)).toBe(false);
    expect(signInTooOld(60, 1000, 1060)).toBe(false);
    expect(signInTooOld(60, 1000, 1061)).toBe(true);
    expect(signInTooOld(0, 1000, 1000)).toBe(true);
  });

  it('login_hint is trimmed, empty is absent, longer than 255 is refused', () => {
    expect(checkLoginHint(' agent ')).toBe('agent');
    expect(checkLoginHint('  ')).toBeUndefined();
    expect(() => checkLoginHint('a'.repeat(256))).toThrow(InvalidRequest);
  });

  it('ui_locales keeps well-formed language tags in order and drops the rest', () => {
    expect(checkUiLocales('de-CH fr en')).toBe('de-CH fr en');
    expect(checkUiLocales('<x> de')).toBe('de');
    expect(checkUiLocales('  ')).toBeUndefined();
    expect(checkUiLocales(undefined)).toBeUndefined();
  });
});
