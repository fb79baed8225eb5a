import { describe, expect, it } from 'vitest';
import { match, withQuery } from './route-match.js';

describe('console routes (issue 9)', () => {
  it('matches literal segments and decodes parameters', () => {
    expect(match('tenants/:t/clients/:c', 'tenants/ACME/clients/a%2Fb')).toEqual({ t: 'ACME', c: 'a/b' });
    expect(match('tenants', 'tenants')).toEqual({});
    expect(match('', '')).toEqual({});
  });

  it('refuses a different length, a different literal, an empty parameter or a malformed escape', () => {
    expect(match('tenants/:t', 'tenants/ACME/clients')).toBeUndefined();
    expect(match('tenants/:t/users', 'tenants/ACME/keys')).toBeUndefined();
    expect(match('tenants/:t', 'tenants/')).toBeUndefined();
    expect(match('tenants/:t', 'tenants/%E0%A4%A')).toBeUndefined();
  });

  it('builds list queries with only the filters that are set', () => {
    expect(withQuery('/tenants/T/users', { q: 'ann', actor: '', cursor: undefined, limit: 50 })).toBe(
      '/tenants/T/users?q=ann&limit=50',
    );
    expect(withQuery('/audit-events', { since: null })).toBe('/audit-events');
  });
});
