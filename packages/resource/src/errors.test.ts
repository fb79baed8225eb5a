import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ClaimCheckError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  ResourceError,
  TemporarilyUnavailableError,
  type ResourceErrorCode,
} from './errors.js';

// Keeps the classes, the ResourceErrorCode union and the README naming the same codes.
const errors: ResourceError[] = [
  new InvalidRequestError('x'),
  new InvalidTokenError('x'),
  new InsufficientScopeError(['a'], []),
  new ClaimCheckError('actor', 'x'),
  new TemporarilyUnavailableError('x'),
];

// A code added to the union but not here fails type-checking (TS2366) and, once it has a class, this test.
function statusOf(code: ResourceErrorCode): number {
  switch (code) {
    case 'invalid_request':
      return 400;
    case 'invalid_token':
      return 401;
    case 'insufficient_scope':
      return 403;
    case 'temporarily_unavailable':
      return 503;
  }
}

describe('error classes', () => {
  it('have a class per code (two for insufficient_scope: scopes and claim checks), with the status RFC 6750 gives it', () => {
    expect(errors.map((error) => [error.name, error.code, error.status])).toEqual([
      ['InvalidRequestError', 'invalid_request', 400],
      ['InvalidTokenError', 'invalid_token', 401],
      ['InsufficientScopeError', 'insufficient_scope', 403],
      ['ClaimCheckError', 'insufficient_scope', 403],
      ['TemporarilyUnavailableError', 'temporarily_unavailable', 503],
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ResourceError);
      expect(statusOf(error.code)).toBe(error.status);
    }
  });

  it('are all listed in the README errors table with their status', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `(\w+)` \| `(\w+)` \| (\d{3}) \|/gm)].map((m) => [m[1], m[2], Number(m[3])]);
    expect(rows).toEqual(errors.map((error) => [error.name, error.code, error.status]));
  });

  it('keep the log detail apart from the client description', () => {
    const error = new InvalidTokenError('The access token expired', { detail: 'exp 1700000000' });
    expect(error.message).toBe('The access token expired');
    expect(error.description).toBe('The access token expired');
    expect(error.detail).toBe('exp 1700000000');
  });
});
