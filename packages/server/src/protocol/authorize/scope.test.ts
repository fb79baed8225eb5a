import { describe, expect, it } from 'vitest';
import { InvalidScope } from '../errors.js';
import { DEFAULT_REFRESH_POLICY, type Client } from '../model.js';
import { checkRequestedScopes } from './scope.js';

const client: Client = {
  clientId: 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f',
  tenantId: 'TMPRODB88619984',
  name: 'Demo SPA',
  platform: 'spa',
  resourceType: 'global',
  redirectUris: ['https://oauth.pstmn.io/v1/callback'],
  scopes: ['core.aiservices.read', 'core.aiservices.write'],
  consentMode: 'required',
  secretHash: null,
  postLogoutRedirectUris: [],
  refreshTokens: DEFAULT_REFRESH_POLICY.spa,
  disabled: false,
};
const NONE = new Set<string>();

describe('checkRequestedScopes', () => {
  it('returns any combination of the assigned scopes in request order', () => {
    expect(checkRequestedScopes('core.aiservices.write core.aiservices.read', client, NONE)).toEqual(['core.aiservices.write', 'core.aiservices.read']);
    expect(checkRequestedScopes('core.aiservices.read', client, NONE)).toEqual(['core.aiservices.read']);
  });

  it('allows built-in scopes that are not assigned', () => {
    expect(checkRequestedScopes('openid core.aiservices.read', client, new Set(['openid']))).toEqual(['openid', 'core.aiservices.read']);
  });

  it('requires scope', () => {
    expect(() => checkRequestedScopes(undefined, client, NONE)).toThrow(new InvalidScope('scope is required'));
    expect(() => checkRequestedScopes('', client, NONE)).toThrow(new InvalidScope('scope is required'));
  });

  it('refuses a malformed scope string', () => {
    expect(() => checkRequestedScopes('core.aiservices.read ', client, NONE)).toThrow(new InvalidScope('scope is malformed'));
  });

  it('refuses scopes not assigned to the client, naming each of them', () => {
    expect(() => checkRequestedScopes('core.aiservices.read core.admin openid', client, NONE)).toThrow(new InvalidScope('scope not allowed for this client: core.admin openid'));
  });
});
