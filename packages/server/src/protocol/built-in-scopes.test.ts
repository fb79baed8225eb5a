import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCOPE_DESCRIPTIONS, BUILT_IN_SCOPES } from './built-in-scopes.js';

describe('built-in scopes (OIDC Core §5.4, §11)', () => {
  it('are exactly openid, profile, email and offline_access', () => {
    expect([...BUILT_IN_SCOPES]).toEqual(['openid', 'profile', 'email', 'offline_access']);
  });

  it('each have the words the consent page shows', () => {
    expect(BUILT_IN_SCOPE_DESCRIPTIONS).toEqual({
      openid: 'Confirm who you are',
      profile: 'See your username',
      email: 'See your email address',
      offline_access: 'Stay signed in to the application',
    });
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(BUILT_IN_SCOPE_DESCRIPTIONS)).toBe(true);
  });
});
