import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GATEHOUSE_ERROR_CODES } from './errors.js';
import * as sdk from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error codes', () => {
  it('the README documents exactly the codes of the GatehouseErrorCode union', () => {
    const section = readme.slice(readme.indexOf('## Errors'));
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...GATEHOUSE_ERROR_CODES]);
  });

  it('every exported error class extends GatehouseError, keeps its name when minified, and carries a listed code', () => {
    const classes = {
      LoginRequiredError: new sdk.LoginRequiredError('x'),
      OAuthError: new sdk.OAuthError('invalid_scope', 'too wide'),
      AccessDeniedError: new sdk.AccessDeniedError('no'),
      StateMismatchError: new sdk.StateMismatchError('x'),
      IssuerMismatchError: new sdk.IssuerMismatchError('x'),
      ConfigurationError: new sdk.ConfigurationError('x'),
      InteractionRequiredError: new sdk.InteractionRequiredError('consent_required'),
      TimeoutError: new sdk.TimeoutError('x'),
      PopupError: new sdk.PopupError('popup_closed', 'x'),
    };
    expect(
      Object.fromEntries(
        Object.entries(classes).map(([name, err]) => [name, [err.name, err.code, err instanceof sdk.GatehouseError]]),
      ),
    ).toEqual({
      LoginRequiredError: ['LoginRequiredError', 'login_required', true],
      OAuthError: ['OAuthError', 'oauth_error', true],
      AccessDeniedError: ['AccessDeniedError', 'access_denied', true],
      StateMismatchError: ['StateMismatchError', 'state_mismatch', true],
      IssuerMismatchError: ['IssuerMismatchError', 'issuer_mismatch', true],
      ConfigurationError: ['ConfigurationError', 'invalid_configuration', true],
      InteractionRequiredError: ['InteractionRequiredError', 'interaction_required', true],
      TimeoutError: ['TimeoutError', 'timeout', true],
      PopupError: ['PopupError', 'popup_closed', true],
    });
    expect(classes.OAuthError).toMatchObject({
      error: 'invalid_scope',
      description: 'too wide',
      message: 'invalid_scope: too wide',
    });
  });

  it('exports only the public API', () => {
    expect(Object.keys(sdk).sort()).toEqual([
      'AccessDeniedError',
      'ConfigurationError',
      'GatehouseError',
      'InteractionRequiredError',
      'IssuerMismatchError',
      'LoginRequiredError',
      'OAuthError',
      'PopupError',
      'StateMismatchError',
      'TimeoutError',
      'createGatehouseClient',
      'relayCallback',
    ]);
  });
});
