import { describe, expect, it } from 'vitest';
import { InvalidScope } from '../errors.js';
import { seedClient } from '../testing/fakes.js';
import { checkRequestedScopes } from './requested-scopes.js';

const client = seedClient();
const NONE = new Set<string>();

describe('checkRequestedScopes', () => {
  it('returns any combination of the assigned scopes in request order', () => {
    expect(checkRequestedScopes('core.aiservices.write core.aiservices.read', client, NONE)).toEqual([
      'core.aiservices.write',
      'core.aiservices.read',
    ]);
    expect(checkRequestedScopes('core.aiservices.read', client, NONE)).toEqual(['core.aiservices.read']);
  });

  it('allows built-in scopes that are not assigned', () => {
    expect(checkRequestedScopes('openid core.aiservices.read', client, new Set(['openid']))).toEqual([
      'openid',
      'core.aiservices.read',
    ]);
  });

  it('requires scope', () => {
    expect(() => checkRequestedScopes(undefined, client, NONE)).toThrow(new InvalidScope('scope is required'));
    expect(() => checkRequestedScopes('', client, NONE)).toThrow(new InvalidScope('scope is required'));
  });

  it('refuses a malformed scope string', () => {
    expect(() => checkRequestedScopes('core.aiservices.read ', client, NONE)).toThrow(
      new InvalidScope('scope is malformed'),
    );
  });

  it('refuses scopes not assigned to the client, naming each of them', () => {
    expect(() => checkRequestedScopes('core.aiservices.read core.admin openid', client, NONE)).toThrow(
      new InvalidScope('scope not allowed for this client: core.admin openid'),
    );
  });
});
