import { describe, expect, it } from 'vitest';
import { groupFieldErrors } from './field-errors.js';

describe('groupFieldErrors (problem+json errors[] to form fields, issue 9)', () => {
  it('puts each message under the body property its JSON pointer names', () => {
    expect(
      groupFieldErrors([
        { field: '/name', message: 'must not be empty' },
        { field: '/platform', message: 'must be spa or web' },
      ]),
    ).toEqual({ name: ['must not be empty'], platform: ['must be spa or web'] });
  });

  it('names the line of a list item, counted from 1, and keeps several messages in order', () => {
    expect(
      groupFieldErrors([
        { field: '/redirect_uris/0', message: 'is not an absolute URL' },
        { field: '/redirect_uris/2', message: 'must not have a fragment' },
      ]),
    ).toEqual({ redirect_uris: ['Line 1: is not an absolute URL', 'Line 3: must not have a fragment'] });
  });

  it('groups a problem with the whole body under the empty name and decodes ~1 and ~0', () => {
    expect(
      groupFieldErrors([
        { field: '', message: 'must be an object' },
        { field: '/a~1b', message: 'x' },
      ]),
    ).toEqual({ '': ['must be an object'], 'a/b': ['x'] });
  });
});
