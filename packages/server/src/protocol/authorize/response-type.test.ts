import { describe, expect, it } from 'vitest';
import { InvalidRequest, UnsupportedResponseType } from '../errors.js';
import { checkResponseType } from './response-type.js';

describe('checkResponseType', () => {
  it('accepts code', () => {
    expect(checkResponseType('code')).toBe('code');
  });

  it('refuses a missing or empty response_type with invalid_request', () => {
    expect(() => checkResponseType(undefined)).toThrow(new InvalidRequest('missing required parameter response_type'));
    expect(() => checkResponseType('')).toThrow(new InvalidRequest('missing required parameter response_type'));
  });

  it.each(['token', 'id_token', 'code id_token', 'code token', 'Code', ' code'])(
    'refuses %j with unsupported_response_type (OAuth 2.1 §4.1.1)',
    (responseType) => {
      expect(() => checkResponseType(responseType)).toThrow(UnsupportedResponseType);
    },
  );
});
