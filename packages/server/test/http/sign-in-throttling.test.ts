import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizeUrl, hiddenInput, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  createTestServer,
  ISSUER_U,
  seedAuthorizeParams,
  testDialects,
  type TestServer,
  type TestServerOptions,
} from '../support/harness.js';

/**
 * Sign-in throttling under real concurrency (issue 12, found 1 and 5): the guesses travel over
 * TCP to a listening server at the same moment. Every answer that is not a 429 checked exactly
 * one password (argon2id, the dummy hash for unknown users); a 429 checked none (asserted with
 * counted verifications in protocol/sign-in.test.ts), so the 401s count the passwords checked.
 */
for (const dialect of testDialects('sign-in throttling (HTTP)')) {
  describe(`sign-in throttling over HTTP [${dialect}]`, () => {
    let server: TestServer;
    let origin: string;

    async function start(config: TestServerOptions['config'] = {}) {
      server = await createTestServer({ dialect, config });
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      origin = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    }

    afterEach(async () => {
      await server?.close();
    });

    /** A pending authorization with its form fields and browser-binding cookie. */
    async function openLoginForm() {
      const browser = new TestBrowser(server.app);
      const authorize = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams()));
      const page = await browser.get(authorize.headers.location as string);
      return {
        request: hiddenInput(page.body, 'request'),
        csrf: hiddenInput(page.body, 'csrf_token'),
        cookie: browser.cookieHeader(`${ISSUER_U}/login`),
      };
    }

    function postLogin(
      form: { request: string; csrf: string; cookie: string },
      username: string,
      password: string,
      headers: Record<string, string> = {},
    ): Promise<Response> {
      return fetch(`${origin}${new URL(ISSUER_U).pathname}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, ...headers },
        body: new URLSearchParams({ request: form.request, csrf_token: form.csrf, username, password }).toString(),
      });
    }

    it('checks at most 5 passwords of 20 simultaneous guesses, and the right one sent among them does not get in', async () => {
      await start();
      const form = await openLoginForm();
      const passwords = Array.from({ length: 20 }, (_, i) => `wrong-guess-${i}`);
      const responses = await Promise.all(passwords.map((password) => postLogin(form, AGENT.username, password)));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);

      // The limit is reached: the right password, sent with more simultaneous guesses, is refused unchecked.
      const again = await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => postLogin(form, AGENT.username, `late-guess-${i}`)),
        postLogin(form, AGENT.username, AGENT.password),
      ]);
      expect(again.map((r) => r.status)).toEqual([429, 429, 429, 429, 429, 429]);
      expect(again[5]!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    });

    it('lets the right password in when it is among the first five of simultaneous guesses', async () => {
      await start();
      const form = await openLoginForm();
      const responses = await Promise.all([
        postLogin(form, AGENT.username, AGENT.password),
        ...Array.from({ length: 3 }, (_, i) => postLogin(form, AGENT.username, `wrong-${i}`)),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([303, 401, 401, 401]);
    });

    it('slows a password spray from one address: 200 guesses over 50 usernames check only 20 passwords', async () => {
      await start();
      const form = await openLoginForm();
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => postLogin(form, `sprayed-${i % 50}`, `Winter2026!-${i}`)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(180);
    });

    it('believes X-Forwarded-For only from a listed proxy: a sprayer cannot lock out a person at another address', async () => {
      await start({ trustProxy: '127.0.0.1' });
      const form = await openLoginForm();
      const attacker = { 'x-forwarded-for': '203.0.113.66' };
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => postLogin(form, AGENT.username, `guess-${i}`, attacker)),
      );
      expect(guesses.filter((r) => r.status === 401)).toHaveLength(5);
      const person = await postLogin(form, AGENT.username, AGENT.password, { 'x-forwarded-for': '198.51.100.20' });
      expect(person.status).toBe(303);
    });

    it('ignores X-Forwarded-For when no proxy is trusted (the default)', async () => {
      await start();
      const form = await openLoginForm();
      for (let i = 0; i < 5; i += 1) {
        const forged = await postLogin(form, AGENT.username, `guess-${i}`, { 'x-forwarded-for': `203.0.113.${i}` });
        expect(forged.status).toBe(401);
      }
      const sixth = await postLogin(form, AGENT.username, AGENT.password, { 'x-forwarded-for': '198.51.100.20' });
      expect(sixth.status).toBe(429);
    });

    it('quarters the per-address limit while the realm sees more failures than its alert level', async () => {
      await start({ trustProxy: '127.0.0.1', loginRealmAlertFailures: 10, loginMaxFailuresPerAddress: 8 });
      const form = await openLoginForm();
      for (let i = 0; i < 10; i += 1)
        await postLogin(form, `spray-${i}`, 'guess', { 'x-forwarded-for': `203.0.113.${i}` });
      const fresh = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          postLogin(form, `other-${i}`, 'guess', { 'x-forwarded-for': '198.51.100.99' }),
        ),
      );
      expect(fresh.map((r) => r.status).sort()).toEqual([401, 401, 429, 429, 429, 429]);
    });
  });
}
