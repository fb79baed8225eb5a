import { describe, expect, it } from 'vitest';
import { authorizeUrl, basicAuth, hiddenInput, postForm, TestBrowser } from '../support/browser.js';
import { ISSUER_U, SEED_CLIENT_ID, seedAuthorizeParams, useTestServer } from '../support/harness.js';

/**
 * Issue 12, found 2 and 3: values no row can hold (a NUL byte, which PostgreSQL's text types
 * refuse, or more characters than the column) answered 500 on PostgreSQL. Each must get the
 * answer any unknown value gets, on both databases (vitest.config.ts runs this file on each).
 */
const server = useTestServer('all');
const NUL = '\u0000';

async function unknownAndMalformed(send: (value: string) => Promise<{ statusCode: number; body: string }>) {
  const unknown = await send('no-such-value');
  const withNul = await send(`x${NUL}`);
  const onlyNul = await send(NUL);
  const tooLong = await send('x'.repeat(5000));
  return { unknown, answers: [withNul, onlyNul, tooLong] };
}

describe('identifiers no row can hold are answered like unknown ones', () => {
  it('authorization endpoint: client_id with a NUL byte or 5000 characters shows the unknown-client error page', async () => {
    const browser = new TestBrowser(server.app);
    const { unknown, answers } = await unknownAndMalformed((clientId) =>
      browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ client_id: clientId }))),
    );
    expect(unknown.statusCode).toBe(400);
    for (const answer of answers) expect(answer.statusCode).toBe(400);
  });

  for (const endpoint of ['/oauth2/token', '/oauth2/revoke', '/oauth2/introspect']) {
    it(`${endpoint}: client_id with a NUL byte answers 401 invalid_client, in the form and in Basic`, async () => {
      const form = { grant_type: 'authorization_code', code: 'c', token: 't', code_verifier: 'v' };
      const inForm = await unknownAndMalformed((clientId) =>
        postForm(server.app, ISSUER_U, endpoint, { ...form, client_id: clientId }),
      );
      const inBasic = await unknownAndMalformed((clientId) =>
        postForm(server.app, ISSUER_U, endpoint, form, { authorization: basicAuth(clientId, 'secret') }),
      );
      for (const { unknown, answers } of [inForm, inBasic]) {
        expect(unknown.statusCode).toBe(401);
        for (const answer of answers) {
          expect(answer.statusCode).toBe(401);
          expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_client' });
        }
      }
    });
  }

  for (const page of ['login', 'consent']) {
    it(`${page} page: request=%00 shows the expired-request page (GET and POST)`, async () => {
      const browser = new TestBrowser(server.app);
      const viaGet = await unknownAndMalformed((request) =>
        browser.get(`${ISSUER_U}/${page}?request=${encodeURIComponent(request)}`),
      );
      const viaPost = await unknownAndMalformed((request) =>
        browser.postForm(`${ISSUER_U}/${page}`, { request, csrf_token: 'x', username: 'u', password: 'p' }),
      );
      for (const { unknown, answers } of [viaGet, viaPost]) {
        for (const answer of answers) expect(answer.statusCode).toBe(unknown.statusCode);
        expect(unknown.statusCode).toBeLessThan(500);
      }
    });
  }

  it('login: a username of 300 characters, or with a NUL byte, is a wrong sign-in (401)', async () => {
    const browser = new TestBrowser(server.app);
    const authorize = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams()));
    const loginPage = await browser.get(authorize.headers.location as string);
    const request = hiddenInput(loginPage.body, 'request');
    const csrf = hiddenInput(loginPage.body, 'csrf_token');
    for (const username of ['u'.repeat(300), `agent${NUL}`, NUL.repeat(3)]) {
      const response = await browser.postForm(`${ISSUER_U}/login`, {
        request,
        csrf_token: csrf,
        username,
        password: 'some-password',
      });
      expect(response.statusCode).toBe(401);
    }
  });

  it('a tenant in the path with a NUL byte or 90 characters is not found (404)', async () => {
    for (const tenant of [`T${NUL}`, 'T'.repeat(90)]) {
      const response = await server.app.inject({
        method: 'GET',
        url: `/system/auth/${encodeURIComponent(tenant)}-U/.well-known/openid-configuration`,
      });
      expect(response.statusCode).toBe(404);
    }
  });

  it('logout: client_id with a NUL byte is treated as an unknown client', async () => {
    const unknown = await server.app.inject({
      method: 'GET',
      url: `${new URL(ISSUER_U).pathname}/oauth2/logout?client_id=nope`,
    });
    const withNul = await server.app.inject({
      method: 'GET',
      url: `${new URL(ISSUER_U).pathname}/oauth2/logout?client_id=${encodeURIComponent(`${SEED_CLIENT_ID}${NUL}`)}`,
    });
    expect(withNul.statusCode).toBe(unknown.statusCode);
  });
});
