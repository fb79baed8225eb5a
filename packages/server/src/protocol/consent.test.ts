import { describe, expect, it } from 'vitest';
import { decideNextStep } from './consent.js';
import { DEFAULT_REFRESH_POLICY, type Client, type ConsentMode } from './model.js';

function client(consentMode: ConsentMode): Client {
  return {
    clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
    tenantId: 'TMPRODB88619984',
    name: 'Demo SPA',
    platform: 'spa',
    resourceType: 'global',
    redirectUris: ['https://oauth.pstmn.io/v1/callback'],
    scopes: ['core.aiservices.read', 'core.aiservices.write'],
    consentMode,
    secretHash: null,
    postLogoutRedirectUris: [],
    refreshTokens: DEFAULT_REFRESH_POLICY.spa,
    disabled: false,
  };
}

const READ = 'core.aiservices.read';
const WRITE = 'core.aiservices.write';

describe('decideNextStep', () => {
  it('asks a person who is not signed in to sign in, even for a first-party client with every scope granted', () => {
    expect(decideNextStep({ signedIn: false, client: client('skip'), requestedScopes: [READ], grantedScopes: [READ] })).toBe('login');
  });

  it('asks a signed-in person to sign in again when the request forces it', () => {
    expect(decideNextStep({ signedIn: true, client: client('skip'), requestedScopes: [READ], grantedScopes: [READ], forceLogin: true })).toBe('login');
  });

  it('asks for consent when nothing was granted before', () => {
    expect(decideNextStep({ signedIn: true, client: client('required'), requestedScopes: [READ], grantedScopes: [] })).toBe('consent');
  });

  it('asks for consent when one requested scope was not granted before', () => {
    expect(decideNextStep({ signedIn: true, client: client('required'), requestedScopes: [READ, WRITE], grantedScopes: [READ] })).toBe('consent');
  });

  it('issues a code when every requested scope was granted before', () => {
    expect(decideNextStep({ signedIn: true, client: client('required'), requestedScopes: [READ], grantedScopes: [READ, WRITE] })).toBe('issue_code');
  });

  it('asks again when the request forces consent, even if every scope was granted', () => {
    expect(decideNextStep({ signedIn: true, client: client('required'), requestedScopes: [READ], grantedScopes: [READ], forceConsent: true })).toBe('consent');
  });

  it('issues a code for a first-party (consent skip) client without any grant', () => {
    expect(decideNextStep({ signedIn: true, client: client('skip'), requestedScopes: [READ, WRITE], grantedScopes: [] })).toBe('issue_code');
  });

  it('asks a first-party client\'s user for consent when the request forces it', () => {
    expect(decideNextStep({ signedIn: true, client: client('skip'), requestedScopes: [READ], grantedScopes: [READ], forceConsent: true })).toBe('consent');
  });

  it('checks sign-in before consent when both are forced', () => {
    expect(decideNextStep({ signedIn: true, client: client('required'), requestedScopes: [READ], grantedScopes: [], forceLogin: true, forceConsent: true })).toBe('login');
  });
});
