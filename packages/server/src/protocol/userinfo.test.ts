import { describe, expect, it } from 'vitest';
import type { User } from './model.js';
import { userInfoClaims } from './userinfo.js';

const ALICE: User = {
  id: 'user-1',
  tenantId: 'ACME',
  actor: 'user',
  username: 'alice',
  email: 'alice@acme.example',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$secret',
  disabled: false,
  passwordChangedAt: 1_750_000_000,
};

describe('userInfoClaims (OIDC Core §5.3.2)', () => {
  it('gives only sub for openid alone', () => {
    expect(userInfoClaims(ALICE, ['openid'])).toStrictEqual({ sub: 'user-1' });
  });

  it('adds preferred_username for profile', () => {
    expect(userInfoClaims(ALICE, ['openid', 'profile'])).toStrictEqual({ sub: 'user-1', preferred_username: 'alice' });
  });

  it('adds email with email_verified false for email (Gatehouse does not verify addresses)', () => {
    expect(userInfoClaims(ALICE, ['openid', 'email'])).toStrictEqual({
      sub: 'user-1',
      email: 'alice@acme.example',
      email_verified: false,
    });
  });

  it('gives every claim for openid profile email, and never the password hash or internal fields', () => {
    const claims = userInfoClaims(ALICE, ['openid', 'profile', 'email', 'core.read']);
    expect(claims).toStrictEqual({
      sub: 'user-1',
      preferred_username: 'alice',
      email: 'alice@acme.example',
      email_verified: false,
    });
    expect(JSON.stringify(claims)).not.toContain('argon2');
  });

  it('leaves email and email_verified out for a person without an address', () => {
    expect(userInfoClaims({ ...ALICE, email: null }, ['openid', 'email'])).toStrictEqual({ sub: 'user-1' });
  });
});
