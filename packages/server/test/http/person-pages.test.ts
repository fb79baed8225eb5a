import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { setTenantBranding } from '../../src/admin/branding.js';
import { createUser } from '../../src/admin/users.js';
import {
  authorizeUrl,
  exchangeCode,
  hiddenInput,
  redirectParams,
  signInAndAllow,
  TestBrowser,
} from '../support/browser.js';
import {
  AGENT,
  ISSUER_U,
  SEED_CHALLENGE,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_STATE,
  SEED_VERIFIER,
  seedAuthorizeParams,
  TENANT,
  testDialects,
  useTestServer,
} from '../support/harness.js';

const styleHashes = (body: string) =>
  [...body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );

for (const dialect of testDialects('person pages (issue 11)')) {
  describe(`person pages (issue 11) on ${dialect}`, () => {
    const server = useTestServer('each', { dialect });
    let browser: TestBrowser;
    beforeEach(() => {
      browser = new TestBrowser(server.app);
    });

    async function openLoginPage(params = seedAuthorizeParams(), headers: Record<string, string> = {}) {
      const authorize = await browser.get(authorizeUrl(ISSUER_U, params));
      expect(authorize.statusCode).toBe(303);
      const page = await browser.get(authorize.headers.location as string, headers);
      return { page, request: hiddenInput(page.body, 'request'), csrf: hiddenInput(page.body, 'csrf_token') };
    }

    async function openConsentPage(credentials = AGENT) {
      const { request, csrf } = await openLoginPage();
      const login = await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...credentials });
      expect(login.headers.location).toBe(`${ISSUER_U}/consent?request=${request}`);
      const page = await browser.get(login.headers.location as string);
      return { page, request, csrf: hiddenInput(page.body, 'csrf_token') };
    }

    describe('authorization request: login_hint, max_age, ui_locales (OIDC Core §3.1.2.1)', () => {
      it('login_hint prefills the username on the login page', async () => {
        const { page } = await openLoginPage(seedAuthorizeParams({ login_hint: 'agent' }));
        expect(page.body).toMatch(/name="username"[^>]* value="agent"/);
      });

      it('a login_hint longer than 255 characters is invalid_request at the client', async () => {
        const response = await browser.get(
          authorizeUrl(ISSUER_U, seedAuthorizeParams({ login_hint: 'a'.repeat(256) })),
        );
        expect(response.statusCode).toBe(303);
        expect(redirectParams(response).get('error')).toBe('invalid_request');
        expect(redirectParams(response).get('state')).toBe(SEED_STATE);
      });

      it('max_age that is not a non-negative integer is invalid_request at the client', async () => {
        const response = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ max_age: '-5' })));
        expect(response.statusCode).toBe(303);
        expect(redirectParams(response).get('error')).toBe('invalid_request');
        expect(redirectParams(response).get('iss')).toBe(ISSUER_U);
      });

      it('a session older than max_age forces a fresh login; auth_time in the ID token is the new sign-in', async () => {
        const params = seedAuthorizeParams({ scope: 'openid core.aiservices.read' });
        await signInAndAllow(browser, ISSUER_U, params, AGENT);
        const firstSignIn = server.clock.now;
        server.clock.advance(120);
        const fresh = await browser.get(authorizeUrl(ISSUER_U, { ...params, max_age: '300' }));
        expect(fresh.statusCode).toBe(303);
        expect(redirectParams(fresh).get('code')).toBeTruthy();

        const tooOld = await browser.get(authorizeUrl(ISSUER_U, { ...params, max_age: '60' }));
        expect(tooOld.statusCode).toBe(303);
        expect(tooOld.headers.location).toMatch(new RegExp(`^${ISSUER_U}/login\\?request=`));

        const silent = await browser.get(authorizeUrl(ISSUER_U, { ...params, max_age: '60', prompt: 'none' }));
        expect(silent.statusCode).toBe(303);
        expect(redirectParams(silent).get('error')).toBe('login_required');

        server.clock.advance(5);
        const loginPage = await browser.get(tooOld.headers.location as string);
        const login = await browser.postForm(`${ISSUER_U}/login`, {
          request: hiddenInput(loginPage.body, 'request'),
          csrf_token: hiddenInput(loginPage.body, 'csrf_token'),
          ...AGENT,
        });
        expect(login.statusCode).toBe(303);
        const code = redirectParams(login).get('code')!;
        const tokens = await exchangeCode(server.app, ISSUER_U, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: SEED_REDIRECT_URI,
          client_id: SEED_CLIENT_ID,
          code_verifier: SEED_VERIFIER,
        });
        expect(tokens.statusCode).toBe(200);
        const idToken = JSON.parse(Buffer.from(tokens.json().id_token.split('.')[1], 'base64url').toString());
        expect(idToken.auth_time).toBe(firstSignIn + 125);
      });

      it('max_age=0 always asks for the password again', async () => {
        await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams(), AGENT);
        const again = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ max_age: '0' })));
        expect(again.headers.location).toMatch(new RegExp(`^${ISSUER_U}/login\\?request=`));
      });

      it('ui_locales chooses the page language, before Accept-Language', async () => {
        const { page } = await openLoginPage(seedAuthorizeParams({ ui_locales: 'fr de' }), { 'accept-language': 'en' });
        expect(page.headers['content-language']).toBe('de');
        expect(page.body).toContain('<html lang="de">');
        expect(page.body).toContain('<label for="username">Benutzername</label>');
        expect(page.body).toContain('Zurück zur Anwendung');
      });

      it('ui_locales stays with the request: the consent page is German too, OpenID scopes in German words', async () => {
        const { request, csrf } = await openLoginPage(
          seedAuthorizeParams({ ui_locales: 'de', scope: 'openid core.aiservices.read' }),
        );
        const login = await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...AGENT });
        const consent = await browser.get(login.headers.location as string);
        expect(consent.headers['content-language']).toBe('de');
        expect(consent.body).toContain('<li>Bestätigen, wer Sie sind<span class="name">openid</span></li>');
        // The tenant's own scope keeps the words the tenant wrote.
        expect(consent.body).toContain(
          '<li>Read answers from the AI services<span class="name">core.aiservices.read</span></li>',
        );
        expect(consent.body).toContain('Nicht Sie?');
      });

      it('an untrusted request (unknown redirect_uri) gets its error page in the asked language, never a redirect', async () => {
        const response = await browser.get(
          authorizeUrl(ISSUER_U, seedAuthorizeParams({ redirect_uri: 'https://evil.example/cb', ui_locales: 'de' })),
        );
        expect(response.statusCode).toBe(400);
        expect(response.headers.location).toBeUndefined();
        expect(response.headers['content-language']).toBe('de');
        expect(response.body).toContain('<h1>Ungültige Rücksprungadresse</h1>');
      });

      it('without ui_locales the page follows Accept-Language, and English otherwise', async () => {
        const german = await openLoginPage(seedAuthorizeParams(), { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
        expect(german.page.headers['content-language']).toBe('de');
        expect(german.page.body).toContain('Anmelden');
        const english = await openLoginPage(seedAuthorizeParams(), { 'accept-language': 'fr' });
        expect(english.page.headers['content-language']).toBe('en');
        expect(english.page.body).toContain('<html lang="en">');
      });
    });

    describe('frames: pages unframeable, prompt=none answers usable from a hidden iframe', () => {
      it('login, consent and account pages refuse to be framed', async () => {
        const { page: login } = await openLoginPage();
        const { page: consent } = await openConsentPage();
        const account = await browser.get(`${ISSUER_U}/account`);
        for (const page of [login, consent, account]) {
          expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
          expect(page.headers['x-frame-options']).toBe('DENY');
        }
      });

      it('a prompt=none answer is a 303 redirect without frame restrictions, signed in or not', async () => {
        const out = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ prompt: 'none' })));
        expect(out.statusCode).toBe(303);
        expect(redirectParams(out).get('error')).toBe('login_required');
        await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams(), AGENT);
        const inside = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ prompt: 'none' })));
        expect(inside.statusCode).toBe(303);
        expect(redirectParams(inside).get('code')).toBeTruthy();
        for (const answer of [out, inside]) {
          expect(answer.headers['x-frame-options']).toBeUndefined();
          expect(answer.headers['content-security-policy']).toBeUndefined();
          expect(answer.body).toBe('');
        }
      });
    });

    describe('"Back to the application" on the login page', () => {
      it('sends access_denied with state and iss to the client and closes the request', async () => {
        const { request, csrf } = await openLoginPage();
        const cancel = await browser.postForm(`${ISSUER_U}/login/cancel`, { request, csrf_token: csrf });
        expect(cancel.statusCode).toBe(303);
        const location = new URL(cancel.headers.location as string);
        expect(`${location.origin}${location.pathname}`).toBe(SEED_REDIRECT_URI);
        expect(Object.fromEntries(location.searchParams)).toEqual({
          error: 'access_denied',
          error_description: 'the person went back to the application without signing in',
          state: SEED_STATE,
          iss: ISSUER_U,
        });
        const again = await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...AGENT });
        expect(again.statusCode).toBe(400);
      });

      it('is one of the login form buttons (formaction), after Sign in, needing no JavaScript', async () => {
        const { page } = await openLoginPage();
        expect(page.body.match(/<form /g)).toHaveLength(1);
        expect(page.body).toMatch(
          /<button type="submit">Sign in<\/button>[\s\S]*formaction="[^"]*\/login\/cancel" formnovalidate>Back to the application/,
        );
        expect(page.body).not.toContain('<script');
      });

      it('refuses a cancel without the CSRF token (403) and from another browser (403)', async () => {
        const { request } = await openLoginPage();
        const forged = await browser.postForm(`${ISSUER_U}/login/cancel`, { request, csrf_token: 'x' });
        expect(forged.statusCode).toBe(403);
        const other = await new TestBrowser(server.app).postForm(`${ISSUER_U}/login/cancel`, {
          request,
          csrf_token: 'x',
        });
        expect(other.statusCode).toBe(403);
      });
    });

    describe('"Not you?" on the consent page', () => {
      it('signs out of the realm and shows the login page again for the same request', async () => {
        await createUser(server.context, {
          tenant: TENANT,
          actor: 'user',
          username: 'colleague',
          password: 'colleague-password',
        });
        const { page, request, csrf } = await openConsentPage();
        expect(page.body).toContain('Signed in as agent.');
        expect(page.body).toMatch(/form="consent" class="link" formaction="[^"]*\/consent\/switch-account">Not you\?/);
        const oldSession = browser.cookie('gh_session');

        const switched = await browser.postForm(`${ISSUER_U}/consent/switch-account`, { request, csrf_token: csrf });
        expect(switched.statusCode).toBe(303);
        expect(switched.headers.location).toBe(`${ISSUER_U}/login?request=${request}`);
        expect(String(switched.headers['set-cookie'])).toMatch(/gh_session=; .*Max-Age=0/);
        const sessions = await server.database.db.selectFrom('sessions').selectAll().execute();
        expect(sessions).toHaveLength(0);
        expect(oldSession).toBeTruthy();

        const loginPage = await browser.get(switched.headers.location as string);
        expect(loginPage.statusCode).toBe(200);
        const login = await browser.postForm(`${ISSUER_U}/login`, {
          request,
          csrf_token: hiddenInput(loginPage.body, 'csrf_token'),
          username: 'colleague',
          password: 'colleague-password',
        });
        expect(login.headers.location).toBe(`${ISSUER_U}/consent?request=${request}`);
        const consent = await browser.get(login.headers.location as string);
        expect(consent.body).toContain('Signed in as colleague.');
        const allow = await browser.postForm(`${ISSUER_U}/consent`, {
          request,
          csrf_token: hiddenInput(consent.body, 'csrf_token'),
          decision: 'allow',
        });
        expect(redirectParams(allow).get('code')).toBeTruthy();
      });

      it('refuses a switch without the request CSRF token with 403 and keeps the session', async () => {
        const { request } = await openConsentPage();
        const forged = await browser.postForm(`${ISSUER_U}/consent/switch-account`, { request, csrf_token: 'nope' });
        expect(forged.statusCode).toBe(403);
        expect(await server.database.db.selectFrom('sessions').selectAll().execute()).toHaveLength(1);
      });
    });

    describe('the Deny wording', () => {
      it('says only Allow is remembered (denials are not), and links the account page', async () => {
        const { page } = await openConsentPage();
        expect(page.body).not.toContain('Gatehouse remembers your answer');
        expect(page.body).toContain('If you deny, nothing is remembered and the application may ask again.');
        expect(page.body).toContain(`<a href="${ISSUER_U}/account">`);
      });

      it('a denied application asks again on the next request', async () => {
        const { request, csrf } = await openConsentPage();
        const deny = await browser.postForm(`${ISSUER_U}/consent`, { request, csrf_token: csrf, decision: 'deny' });
        expect(redirectParams(deny).get('error')).toBe('access_denied');
        const again = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams()));
        expect(again.headers.location).toMatch(new RegExp(`^${ISSUER_U}/consent\\?request=`));
      });
    });

    describe('favicon and root page', () => {
      it('serves /favicon.ico as a small cached icon, with 304 on a matching ETag', async () => {
        const icon = await server.app.inject({ method: 'GET', url: '/favicon.ico' });
        expect(icon.statusCode).toBe(200);
        expect(icon.headers['content-type']).toBe('image/x-icon');
        expect(icon.headers['cache-control']).toBe('public, max-age=86400');
        expect(icon.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
        expect(icon.rawPayload.subarray(22, 26)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        expect(icon.rawPayload.length).toBeLessThan(2048);
        const cached = await server.app.inject({
          method: 'GET',
          url: '/favicon.ico',
          headers: { 'if-none-match': String(icon.headers.etag) },
        });
        expect(cached.statusCode).toBe(304);
      });

      it('answers / with a small page instead of a JSON 404; other unknown paths stay 404', async () => {
        const root = await server.app.inject({ method: 'GET', url: '/', headers: { 'accept-language': 'de' } });
        expect(root.statusCode).toBe(200);
        expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(root.headers['content-language']).toBe('de');
        expect(root.headers['x-frame-options']).toBe('DENY');
        expect(root.body).toContain('Autorisierungsserver');
        expect(root.body).toContain('.well-known/openid-configuration');
        const missing = await server.app.inject({ method: 'GET', url: '/nothing-here' });
        expect(missing.statusCode).toBe(404);
        expect(missing.json()).toEqual({ error: 'not_found', error_description: 'no such resource' });
      });
    });

    describe('tenant branding', () => {
      it('shows the display name, logo and primary colour on every page, allowed by CSP', async () => {
        await setTenantBranding(server.context, {
          tenant: TENANT,
          displayName: 'Acme Help Centre',
          logoUrl: 'https://cdn.acme.example/logo.svg',
          primaryColor: '#0B6E4F',
        });
        const { page: login } = await openLoginPage();
        const { page: consent } = await openConsentPage();
        const account = await browser.get(`${ISSUER_U}/account`);
        const signedOut = await new TestBrowser(server.app).get(`${ISSUER_U}/oauth2/logout`);
        for (const page of [login, consent, account, signedOut]) {
          expect(page.body).toContain('<img class="logo" src="https://cdn.acme.example/logo.svg" alt="">');
          expect(page.body).toContain('Acme Help Centre · Agent sign-in');
          expect(page.body).toContain('<style>:root{--accent:#0b6e4f;--accent-ink:#ffffff}</style>');
          const csp = String(page.headers['content-security-policy']);
          expect(csp).toContain("img-src 'self' data: https://cdn.acme.example;");
          for (const hash of styleHashes(page.body)) expect(csp).toContain(hash);
          expect(page.body).not.toMatch(/ style=/);
        }
      });

      it('picks black button text on a light (but readable) colour', async () => {
        // #d96c00 has 3.45:1 on white (enough for a button) but black text reads better on it.
        await setTenantBranding(server.context, { tenant: TENANT, primaryColor: '#d96c00' });
        const { page } = await openLoginPage();
        expect(page.body).toContain('<style>:root{--accent:#d96c00;--accent-ink:#000000}</style>');
      });

      it('refuses an http logo and a colour unreadable on the page, keeping the previous branding', async () => {
        await setTenantBranding(server.context, { tenant: TENANT, displayName: 'Acme Help Centre' });
        await expect(
          setTenantBranding(server.context, { tenant: TENANT, logoUrl: 'http://cdn.acme.example/logo.png' }),
        ).rejects.toThrow('logo URL must be an absolute https:// URL');
        await expect(setTenantBranding(server.context, { tenant: TENANT, primaryColor: '#ffff00' })).rejects.toThrow(
          /unreadable on the white page/,
        );
        await expect(setTenantBranding(server.context, { tenant: 'NOPE', displayName: 'x' })).rejects.toThrow(
          'unknown tenant NOPE',
        );
        const { page } = await openLoginPage();
        expect(page.body).toContain('Acme Help Centre · Agent sign-in');
        expect(page.body).not.toContain('<style>:root{--accent:');
      });
    });

    it('keeps the seed request parameters intact (challenge stored, not echoed)', async () => {
      const { page } = await openLoginPage();
      expect(page.body).not.toContain(SEED_CHALLENGE);
    });
  });
}
