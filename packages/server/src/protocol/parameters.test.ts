import { describe, expect, it } from 'vitest';
import { InvalidRequest } from './errors.js';
import { first, parseParameters, rejectRepeatedParameters, required, single } from './parameters.js';

describe('parseParameters', () => {
  it('keeps every value of a repeated parameter, in order', () => {
    expect(parseParameters('a=1&b=2&a=3')).toEqual(
      new Map([
        ['a', ['1', '3']],
        ['b', ['2']],
      ]),
    );
  });

  it('decodes application/x-www-form-urlencoded: "+" and %20 are spaces, %2B is a plus', () => {
    expect(parseParameters('s=a+b%20c%2Bd%26e%3Df%25').get('s')).toEqual(['a b c+d&e=f%']);
  });

  it('keeps a parameter sent without a value as the empty string', () => {
    expect(parseParameters('a=&b').get('a')).toEqual(['']);
    expect(parseParameters('a=&b').get('b')).toEqual(['']);
  });

  it('gives an empty map for an empty string', () => {
    expect(parseParameters('').size).toBe(0);
  });
});

describe('single', () => {
  it('returns the only value, or undefined when absent', () => {
    const parameters = parseParameters('a=1');
    expect(single(parameters, 'a')).toBe('1');
    expect(single(parameters, 'b')).toBeUndefined();
  });

  it('throws invalid_request naming a parameter sent twice, even with equal values (RFC 6749 §3.1)', () => {
    expect(() => single(parseParameters('a=1&a=1'), 'a')).toThrow(
      new InvalidRequest('parameter a was sent more than once'),
    );
  });
});

describe('first', () => {
  it('returns the first of repeated values without throwing', () => {
    expect(first(parseParameters('state=x&state=y'), 'state')).toBe('x');
    expect(first(parseParameters(''), 'state')).toBeUndefined();
  });
});

describe('required', () => {
  it('returns a present value', () => {
    expect(required(parseParameters('code=abc'), 'code')).toBe('abc');
  });

  it('treats an empty value as omitted (RFC 6749 §3.1)', () => {
    expect(() => required(parseParameters('code='), 'code')).toThrow(
      new InvalidRequest('missing required parameter code'),
    );
    expect(() => required(parseParameters(''), 'code')).toThrow(new InvalidRequest('missing required parameter code'));
  });

  it('refuses a repeated value', () => {
    expect(() => required(parseParameters('code=a&code=b'), 'code')).toThrow(
      new InvalidRequest('parameter code was sent more than once'),
    );
  });
});

describe('rejectRepeatedParameters', () => {
  it('throws for the first listed parameter that repeats and ignores unlisted repeats', () => {
    expect(() => rejectRepeatedParameters(parseParameters('x=1&x=2&b=1&b=2&a=1&a=2'), ['a', 'b'])).toThrow(
      new InvalidRequest('parameter a was sent more than once'),
    );
    expect(() => rejectRepeatedParameters(parseParameters('x=1&x=2&a=1'), ['a', 'b'])).not.toThrow();
  });
});
