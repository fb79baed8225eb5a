import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, openTab, type TestPage } from './support/browser.js';
import {
  answerConsent,
  readNotice,
  startSignIn,
  submitLogin,
  waitForConsent,
  waitForSignedIn,
  waitForSignedOutPage,
} from './support/spa.js';
import { CLIENT_NAME, type SeededUser, type Stack, startStack, TENANT } from './support/stack.js';
import { recordTraffic, redeemRefreshToken } from './support/tokens.js';

/**
 * Issue 11, the person's pages in headless Chromium against the real stack: back to the
 * application from the login page, "Not you?", withdrawing a consent on the account page, a
 * second language and a tenant's branding. Screenshots land in e2e/artifacts/ (docs/images/ holds
 * the ones docs/pages.md shows).
 */

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const REALM = `${TENANT}-U`;
/** The tenant's logo: served by the browser's request interception, never fetched from a network. */
const LOGO_URL = 'https://logo.acme.example/acme.svg';
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32" viewBox="0 0 96 32"><rect width="32" height="32" rx="8" fill="#0b6e4f"/><path d="M9 24V14a7 7 0 0 1 14 0v10h-4V14a3 3 0 0 0-6 0v10z" fill="#fff"/><text x="38" y="22" font-family="sans-serif" font-size="15" font-weight="700" fill="#0b6e4f">ACME</text></svg>';

const PEOPLE = [
  { username: 'carl', actor: 'user' }, // goes back to the application
  { username: 'nina', actor: 'user' }, // signs in on a shared computer...
  { username: 'otto', actor: 'user' }, // ...and Otto takes over with "Not you?"
  { username: 'wanda', actor: 'user' }, // withdraws her consent
  { username: 'greta', actor: 'user' }, // reads German, sees the tenant's branding
  { username: 'ivy', actor: 'user' }, // is asked silently, from a hidden iframe
] as const;

let stack: Stack;
let browser: Browser;
let opened: TestPage[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([startStack(PEOPLE), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(async () => {
  const pageErrors = opened.flatMap((tab) => tab.pageErrors);
  await Promise.all(opened.map((tab) => tab.context.close()));
  opened = [];
  expect(pageErrors).toEqual([]);
});

async function open(options: { locale?: string } = {}): Promise<TestPage> {
  const tab = options.locale
    ? await openTab(await browser.newContext({ viewport: { width: 1000, height: 800 }, locale: options.locale }))
    : await openPage(browser);
  opened.push(tab);
  return tab;
}

function person(username: (typeof PEOPLE)[number]['username']): SeededUser {
  return stack.users[username]!;
}

function callbackUrl(tab: TestPage): URL {
  const url = tab.navigations.find((candidate) => candidate.startsWith(`${stack.spaUrl}/callback?`));
  if (!url) throw new Error(`no callback among ${tab.navigations.join(', ')}`);
  return new URL(url);
}

describe("the person's pages (issue 11)", () => {
  it('"Back to the application" on the login page reaches the SPA as access_denied with state and iss', async () => {
    const tab = await open();
    const { page } = tab;
    await startSignIn(page, stack, 'agent');
    const back = page.getByRole('button', { name: 'Back to the application' });
    expect(await back.isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'login-back-to-application.png'), fullPage: true });

    await back.click();
    const notice = await readNotice(page);
    expect(notice.role).toBe('status');
    await waitForSignedOutPage(page);
    const callback = callbackUrl(tab);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBeTruthy();
    expect(callback.searchParams.get('iss')).toBe(stack.issuer(REALM));
    expect(person('carl')).toBeDefined();
  });

  it('"Not you?" on the consent page signs Nina out and lets Otto sign in for the same request', async () => {
    const tab = await open();
    const { page } = tab;
    await startSignIn(page, stack, 'agent');
    const loginUrl = new URL(page.url());
    await submitLogin(page, person('nina'));
    await waitForConsent(page);
    expect(await page.getByText('Signed in as nina.').isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'consent-not-you.png'), fullPage: true });

    await page.getByRole('button', { name: 'Not you?' }).click();
    await page.locator('input[name="username"]').waitFor();
    const again = new URL(page.url());
    expect(`${again.origin}${again.pathname}`).toBe(`${stack.issuer(REALM)}/login`);
    expect(again.searchParams.get('request')).toBe(loginUrl.searchParams.get('request'));
    const cookies = await tab.context.cookies(stack.issuer(REALM));
    expect(cookies.find((cookie) => cookie.name === 'gh_session')).toBeUndefined();

    await submitLogin(page, person('otto'));
    await waitForConsent(page);
    expect(await page.getByText('Signed in as otto.').isVisible()).toBe(true);
    await answerConsent(page, 'allow');
    const facts = await waitForSignedIn(page);
    expect(facts.sub).toBe(person('otto').id);
  });

  it("the account page withdraws a consent and that application's refresh token stops working (invalid_grant)", async () => {
    const tab = await open();
    const { page } = tab;
    const traffic = recordTraffic(tab.context, stack);
    await startSignIn(page, stack, 'agent');
    await submitLogin(page, person('wanda'));
    await waitForConsent(page);
    await answerConsent(page, 'allow');
    await waitForSignedIn(page);
    const refreshToken = await traffic.currentRefreshToken();

    await page.goto(`${stack.issuer(REALM)}/account`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
    expect(await page.locator('ul.apps li strong').allTextContents()).toEqual([CLIENT_NAME]);
    await page.screenshot({ path: join(ARTIFACTS, 'account-page.png'), fullPage: true });

    await page.getByRole('button', { name: 'Withdraw access' }).click();
    await page.locator('.notice[role="status"]').waitFor();
    expect(await page.locator('.notice').textContent()).toContain('Access withdrawn.');
    expect(await page.locator('ul.apps li').count()).toBe(0);

    const refused = await redeemRefreshToken(stack, REALM, refreshToken);
    expect(refused.status).toBe(400);
    expect((refused.body as { error: string }).error).toBe('invalid_grant');
  });

  it('a prompt=none request answers a hidden iframe with a redirect, while the sign-in page refuses to be framed', async () => {
    const tab = await open();
    const { page } = tab;
    await startSignIn(page, stack, 'agent');
    await submitLogin(page, person('ivy'));
    await waitForConsent(page);
    await answerConsent(page, 'allow');
    await waitForSignedIn(page);
    // The iframe's callback is answered by the browser, so the SPA does not run (and redeem) in it.
    await tab.context.route(`${stack.spaUrl}/callback?*`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>callback</title>' }),
    );
    const authorize = (prompt: string) =>
      `${stack.issuer(REALM)}/oauth2/authorize?${new URLSearchParams({
        client_id: stack.clientId,
        response_type: 'code',
        redirect_uri: `${stack.spaUrl}/callback`,
        scope: 'openid core.aiservices.read',
        state: `silent-${prompt}`,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        prompt,
      })}`;
    const addIframe = (src: string) =>
      page.evaluate((url) => {
        const frame = document.createElement('iframe');
        frame.hidden = true;
        frame.src = url;
        document.body.append(frame);
      }, src);

    const answered = page.waitForEvent('framenavigated', (frame) =>
      frame.url().startsWith(`${stack.spaUrl}/callback?`),
    );
    await addIframe(authorize('none'));
    const callback = new URL((await answered).url());
    expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(callback.searchParams.get('state')).toBe('silent-none');
    expect(callback.searchParams.get('iss')).toBe(stack.issuer(REALM));

    const blocked = page.waitForEvent('framenavigated', (frame) => frame.url().startsWith('chrome-error://'));
    const loginAnswer = page.waitForResponse((response) => response.url().startsWith(`${stack.issuer(REALM)}/login?`));
    await addIframe(authorize('login'));
    expect((await loginAnswer).headers()['x-frame-options']).toBe('DENY');
    const frame = await blocked;
    expect(await frame.locator('input[name="password"]').count()).toBe(0);
  });

  it("a German browser gets German pages, and the tenant's branding shows on them", async () => {
    await stack.gatehouse([
      'tenant',
      'branding',
      '--tenant',
      TENANT,
      '--display-name',
      'Acme Help Centre',
      '--logo-url',
      LOGO_URL,
      '--primary-color',
      '#0b6e4f',
    ]);
    const tab = await open({ locale: 'de-DE' });
    const { page } = tab;
    await tab.context.route(LOGO_URL, (route) =>
      route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
    );
    await startSignIn(page, stack, 'agent');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Anmelden');
    expect(await page.locator('.brand span').textContent()).toBe('Acme Help Centre · Anmeldung für Mitarbeitende');
    expect(await page.getByRole('button', { name: 'Zurück zur Anwendung' }).isVisible()).toBe(true);
    const logoWidth = await page.locator('img.logo').evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(logoWidth).toBeGreaterThan(0);
    const button = page.getByRole('button', { name: 'Anmelden', exact: true });
    expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(11, 110, 79)');
    expect(await button.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: join(ARTIFACTS, 'login-german-branded.png'), fullPage: true });

    await page.locator('input[name="username"]').fill(person('greta').username);
    await page.locator('input[name="password"]').fill(person('greta').password);
    await button.click();
    await page.locator('button[name="decision"][value="allow"]').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      `${CLIENT_NAME} möchte auf Ihr Konto zugreifen`,
    );
    expect(await page.getByRole('button', { name: 'Nicht Sie?' }).isVisible()).toBe(true);
    expect(await page.locator('.scopes li').first().textContent()).toBe('Bestätigen, wer Sie sindopenid');
    await page.screenshot({ path: join(ARTIFACTS, 'consent-german-branded.png'), fullPage: true });
  });
});
