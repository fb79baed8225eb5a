import { describe, expect, it } from 'vitest';
import { formatScope, parseScope, scopesCovered } from './scope.js';

describe('parseScope (RFC 6749 §3.3)', () => {
  it('splits a space-separated scope string into its tokens, in order', () => {
    expect(parseScope('core.aiservices.read core.aiservices.write')).toEqual([
      'core.aiservices.read',
      'core.aiservices.write',
    ]);
  });

  it('keeps a single token', () => {
    expect(parseScope('openid')).toEqual(['openid']);
  });

  it('removes repeated tokens, keeping the first occurrence', () => {
    expect(parseScope('b a b a')).toEqual(['b', 'a']);
  });

  it('accepts every printable character the grammar allows (%x21 / %x23-5B / %x5D-7E)', () => {
    expect(parseScope("!#$%&'()*+,-./:;<=>?@[]^_`{|}~")).toEqual(["!#$%&'()*+,-./:;<=>?@[]^_`{|}~"]);
  });

  it.each([
    ['the empty string', ''],
    ['a leading space', ' read'],
    ['a trailing space', 'read '],
    ['two spaces between tokens', 'read  write'],
    ['a double quote', 're"ad'],
    ['a backslash', 're\\ad'],
    ['a tab', 'read\twrite'],
    ['a newline', 'read\nwrite'],
    ['a non-ASCII character', 'lecture.é'],
    ['a NUL character', 'read\u0000'],
  ])('refuses %s', (_label, scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });
});

describe('formatScope', () => {
  it('joins tokens with single spaces', () => {
    expect(formatScope(['core.aiservices.read', 'core.aiservices.write'])).toBe(
      'core.aiservices.read core.aiservices.write',
    );
  });

  it('accepts any iterable, such as a Set', () => {
    expect(formatScope(new Set(['a', 'b']))).toBe('a b');
  });

  it('formats no scopes as the empty string', () => {
    expect(formatScope([])).toBe('');
  });

  it('round-trips with parseScope', () => {
    expect(formatScope(parseScope('x y z')!)).toBe('x y z');
  });
});

describe('scopesCovered', () => {
  it('is true when every requested scope was granted', () => {
    expect(scopesCovered(['a', 'b'], ['b', 'c', 'a'])).toBe(true);
  });

  it('is false when one requested scope was not granted', () => {
    expect(scopesCovered(['a', 'd'], ['a', 'b', 'c'])).toBe(false);
  });

  it('is true for an empty request', () => {
    expect(scopesCovered([], [])).toBe(true);
  });

  it('compares scope names exactly, including letter case', () => {
    expect(scopesCovered(['Read'], ['read'])).toBe(false);
  });
});
