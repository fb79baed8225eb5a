import { describe, expect, it } from 'vitest';
import { authorizeUrl, TestBrowser } from '../support/browser.js';
import { seedAuthorizeParams, TENANT, useTestServer } from '../support/harness.js';

const HTTPS_ISSUER = `https://auth.example.test/system/auth/${TENANT}-U`;

const server = useTestServer('all', { config: { publicUrl: 'https://auth.example.test' } });

describe('cookies behind an https public URL', () => {
  it('marks the browser-binding cookie Secure, HttpOnly and SameSite=Lax, scoped to the realm', async () => {
    const response = await new TestBrowser(server.app).get(authorizeUrl(HTTPS_ISSUER, seedAuthorizeParams()));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(new RegExp(`^${HTTPS_ISSUER}/login\\?request=`));
    expect(String(response.headers['set-cookie'])).toMatch(
      new RegExp(`^gh_browser=[A-Za-z0-9_-]{43}; Path=/system/auth/${TENANT}-U/; HttpOnly; SameSite=Lax; Secure$`),
    );
  });
});
