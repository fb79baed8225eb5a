import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/http/routes/console.js';
import { useTestServer } from '../support/harness.js';

/**
 * The console and the admin API share /admin/ in the real application (issue 9): the console's
 * catch-all must never shadow an API route nor answer an unknown API path with the app.
 */
const CONSOLE_BUILT = existsSync(new URL('../../../console/dist/index.html', import.meta.url));

describe('console and admin API under /admin/ in the built application', () => {
  const server = useTestServer('all');

  it('GET /admin/api/v1/me without a token is the API’s 401 with a Bearer challenge, not the console', async () => {
    const response = await server.app.inject('/admin/api/v1/me');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('an unknown admin API path is a problem+json 404', async () => {
    const response = await server.app.inject('/admin/api/v1/no-such-thing');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ status: 404 });
  });

  it('the OpenAPI document is still served by the API', async () => {
    const response = await server.app.inject('/admin/api/openapi.json');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
  });

  it('/admin/ and the callback answer the console (or 503 when it was not built) under the strict CSP', async () => {
    for (const path of ['/admin/', '/admin/callback?code=x&state=y']) {
      const response = await server.app.inject(path);
      expect(response.statusCode, path).toBe(CONSOLE_BUILT ? 200 : 503);
      expect(response.headers['content-security-policy'], path).toBe(CONSOLE_CSP);
      if (CONSOLE_BUILT) expect(response.body, path).toContain('<meta name="gatehouse-public-url"');
    }
  });
});
