import { describe, expect, it } from 'vitest';
import { InvalidClientBasic } from './client-authentication.js';
import { OAUTH_ERROR_CLASSES, OAuthError, UntrustedRedirect, type OAuthErrorCode } from './errors.js';

/**
 * Every code of the OAuthErrorCode union with its HTTP status. A Record over the union, so adding a
 * code to the union without a status here fails the type check; the tests below fail at run time.
 */
const EXPECTED_STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  // RFC 6749 §5.2: 401 (with WWW-Authenticate when the client used a header).
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  // Only ever redirected to the client (RFC 6749 §4.1.2.1); the status matters for an error page.
  access_denied: 403,
  // RFC 6750 §3.1.
  invalid_token: 401,
  insufficient_scope: 403,
  // RFC 6749 §4.1.2.1 names these codes because a 500 or 503 cannot be redirected.
  server_error: 500,
  temporarily_unavailable: 503,
  // OpenID Connect Core §3.1.2.6, redirected like the RFC 6749 authorization errors.
  login_required: 400,
  consent_required: 400,
};

const instances = OAUTH_ERROR_CLASSES.map((ErrorClass) => new ErrorClass('description', 'detail'));

describe('OAuth error classes', () => {
  it('cover every code of the OAuthErrorCode union exactly once', () => {
    const codes = instances.map((error) => error.error);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(Object.keys(EXPECTED_STATUS).sort());
  });

  it.each(instances.map((error) => [error.error, error] as const))('%s has its expected HTTP status', (code, error) => {
    expect(error.status).toBe(EXPECTED_STATUS[code]);
  });

  it('are OAuthErrors and Errors, and are named after their code in PascalCase', () => {
    for (const ErrorClass of OAUTH_ERROR_CLASSES) {
      const error = new ErrorClass('description');
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toBeInstanceOf(Error);
      const pascal = error.error.replace(/(^|_)([a-z])/g, (_match, _separator: string, letter: string) =>
        letter.toUpperCase(),
      );
      expect(ErrorClass.name).toBe(pascal);
    }
  });

  it('keep the description for the client and the detail for the log apart', () => {
    const [error] = OAUTH_ERROR_CLASSES.map(
      (ErrorClass) => new ErrorClass('code expired', 'code hash abc expired 30 s ago'),
    );
    expect(error!.description).toBe('code expired');
    expect(error!.message).toBe('code expired');
    expect(error!.detail).toBe('code hash abc expired 30 s ago');
    expect(new OAUTH_ERROR_CLASSES[0]('no detail').detail).toBeUndefined();
  });

  it('include the Basic variant of invalid_client with the same code and status', () => {
    const error = new InvalidClientBasic('client authentication failed');
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
  });

  it('do not include UntrustedRedirect, which is never sent to a client', () => {
    const error = new UntrustedRedirect('Unknown application', 'message');
    expect(error).not.toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ title: 'Unknown application', message: 'message' });
  });
});
