import { describe, expect, it } from 'vitest';
import { redactUrl } from './logging.js';

describe('redactUrl', () => {
  it('keeps the path and the values of harmless authorization parameters', () => {
    expect(redactUrl('/system/auth/T-U/oauth2/authorize?client_id=abc&response_type=code&scope=openid+x')).toBe(
      '/system/auth/T-U/oauth2/authorize?client_id=abc&response_type=code&scope=openid+x',
    );
  });

  it('replaces id_token_hint, code, state, request ids and any unknown parameter (issue 10)', () => {
    expect(redactUrl('/logout?id_token_hint=eyJ.a.b&client_id=abc&state=s3cr3t&request=r1&code=c0de&new=1')).toBe(
      '/logout?id_token_hint=[REDACTED]&client_id=abc&state=[REDACTED]&request=[REDACTED]&code=[REDACTED]&new=[REDACTED]',
    );
  });

  it('leaves a URL without a query alone', () => {
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});
