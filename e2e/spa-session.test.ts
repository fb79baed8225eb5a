import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type TestPage } from './support/browser.js';
import {
  answerConsent,
  callApi,
  readNotice,
  startSignIn,
  submitLogin,
  waitForConsent,
  waitForSignedIn,
  waitForSignedOutPage,
} from './support/spa.js';
import { startStack, TENANT, type SeededUser, type Stack } from './support/stack.js';
import { recordTraffic } from './support/tokens.js';

/**
 * Session restore and popup sign-in of issue 11, with the demo SPA, Gatehouse and the demo API as
 * real processes in headless Chromium. Two builds of the demo: one keeping its tokens in memory
 * (a reload restores the session with a prompt=none request in a hidden iframe: the SPA and
 * Gatehouse are both on localhost, so same-site whatever their ports), one in sessionStorage
 * (a reload restores it from the store with the refresh token, without asking Gatehouse's
 * authorization endpoint at all).
 */

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

const MEMORY_PEOPLE = [
  { username: 'iris', actor: 'user' }, // reloads: restored through the iframe
  { username: 'lena', actor: 'user' }, // her Gatehouse session is gone when she reloads
  { username: 'pia', actor: 'customer' }, // signs in in a popup
  { username: 'cole', actor: 'user' }, // closes the popup
] as const;
const STORE_PEOPLE = [{ username: 'sora', actor: 'user' }] as const;

let memory: Stack;
let stored: Stack;
let browser: Browser;
let opened: TestPage[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [memory, stored, browser] = await Promise.all([
    startStack(MEMORY_PEOPLE),
    // Every access token is due at once (leeway = lifetime), so restoring it means refreshing.
    startStack(STORE_PEOPLE, { tokenStore: 'session', accessTokenTtlSeconds: 60, refreshLeewaySeconds: 60 }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([memory?.stop(), stored?.stop()]);
});

afterEach(async () => {
  const pageErrors = opened.flatMap((tab) => tab.pageErrors);
  await Promise.all(opened.map((tab) => tab.context.close()));
  opened = [];
  // Whatever the scenario, the SPA never throws an uncaught exception.
  expect(pageErrors).toEqual([]);
});

async function open(): Promise<TestPage> {
  const tab = await openPage(browser);
  opened.push(tab);
  return tab;
}

interface AuthorizeRequest {
  readonly url: URL;
  /** Whether it was loaded by the page itself (a navigation) rather than by a frame or popup. */
  readonly mainFrame: boolean;
}

/** Records every request to Gatehouse's authorization endpoint made by `page` or its frames. */
function recordAuthorizeRequests(context: BrowserContext, page: Page): AuthorizeRequest[] {
  const requests: AuthorizeRequest[] = [];
  context.on('request', (request) => {
    if (!request.url().includes('/oauth2/authorize')) return;
    requests.push({ url: new URL(request.url()), mainFrame: request.frame() === page.mainFrame() });
  });
  return requests;
}

async function signInAndAllow(tab: TestPage, stack: Stack, user: SeededUser): Promise<void> {
  await startSignIn(tab.page, stack, user.actor === 'user' ? 'agent' : 'customer');
  await submitLogin(tab.page, user);
  await waitForConsent(tab.page);
  await answerConsent(tab.page, 'allow');
  await waitForSignedIn(tab.page);
}

describe('checkSession: tokens in memory, restored through a hidden prompt=none iframe', () => {
  it('a reload restores the session without showing any Gatehouse page, and the API accepts the new token', async () => {
    const tab = await open();
    const { page, context } = tab;
    const iris = memory.users.iris!;
    await signInAndAllow(tab, memory, iris);
    const traffic = recordTraffic(context, memory);
    const authorize = recordAuthorizeRequests(context, page);
    const navigationsBefore = tab.navigations.length;

    await page.reload();

    expect((await waitForSignedIn(page)).sub).toBe(iris.id);
    // One authorization request, from a frame, with prompt=none; the page itself went nowhere.
    expect(authorize.map(({ url, mainFrame }) => [url.searchParams.get('prompt'), mainFrame])).toEqual([
      ['none', false],
    ]);
    expect(authorize[0]!.url.searchParams.get('state')).toMatch(/^relay\./);
    expect(tab.navigations.slice(navigationsBefore)).toEqual([`${memory.spaUrl}/`]);
    // The hidden iframe is gone once the code is redeemed.
    expect(await page.locator('iframe').count()).toBe(0);
    const exchanges = await traffic.tokenExchanges();
    expect(exchanges.map(({ grantType, status }) => [grantType, status])).toEqual([['authorization_code', 200]]);
    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
  });

  it('without a Gatehouse session the reload shows the sign-in page: login_required is one quiet answer, not a redirect loop', async () => {
    const tab = await open();
    const { page, context } = tab;
    await signInAndAllow(tab, memory, memory.users.lena!);
    // Gatehouse's session cookie gone (expired, cleared): the iframe's request carries none.
    await context.clearCookies();
    const authorize = recordAuthorizeRequests(context, page);
    const navigationsBefore = tab.navigations.length;

    await page.reload();

    await waitForSignedOutPage(page);
    expect(await page.locator('.notice').count()).toBe(0);
    expect(authorize.map(({ url, mainFrame }) => [url.searchParams.get('prompt'), mainFrame])).toEqual([
      ['none', false],
    ]);
    expect(tab.navigations.slice(navigationsBefore)).toEqual([`${memory.spaUrl}/`]);
    expect(await page.locator('iframe').count()).toBe(0);
  });
});

describe('loginWithPopup', () => {
  it('signs in in a popup window while the page stays where it is', async () => {
    const tab = await open();
    const { page, context } = tab;
    const pia = memory.users.pia!;
    await page.goto(`${memory.spaUrl}/`);
    await page.getByRole('checkbox', { name: /popup window/ }).check();
    const popupOpened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in as customer' }).click();
    const popup = await popupOpened;

    await popup.locator('input[name="username"]').waitFor();
    expect(new URL(popup.url()).pathname).toBe(`/system/auth/${TENANT}-C/login`);
    await popup.screenshot({ path: join(ARTIFACTS, 'spa-popup-login.png') });
    await submitLogin(popup, pia);
    await waitForConsent(popup);
    const closed = popup.waitForEvent('close');
    await answerConsent(popup, 'allow');
    await closed;

    expect(await waitForSignedIn(page)).toMatchObject({ sub: pia.id, actor: 'customer' });
    expect(tab.navigations).toEqual([`${memory.spaUrl}/`]);
    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
  });

  it('closing the popup before signing in brings a “Sign-in cancelled” notice and the sign-in page back', async () => {
    const tab = await open();
    const { page, context } = tab;
    await page.goto(`${memory.spaUrl}/`);
    await page.getByRole('checkbox', { name: /popup window/ }).check();
    const popupOpened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in as agent' }).click();
    const popup = await popupOpened;
    await popup.locator('input[name="username"]').waitFor();

    await popup.close();

    expect(await readNotice(page)).toEqual({
      role: 'status',
      title: 'Sign-in cancelled',
      text: 'The sign-in window was closed before you signed in.',
    });
    await waitForSignedOutPage(page);
  });
});

describe('checkSession: tokens in sessionStorage, restored with the refresh token', () => {
  it('a reload restores the session from the store by refreshing, without asking the authorization endpoint', async () => {
    const tab = await open();
    const { page, context } = tab;
    const sora = stored.users.sora!;
    await signInAndAllow(tab, stored, sora);
    const traffic = recordTraffic(context, stored);
    const authorize = recordAuthorizeRequests(context, page);

    await page.reload();

    expect((await waitForSignedIn(page)).sub).toBe(sora.id);
    expect(authorize).toEqual([]);
    const exchanges = await traffic.tokenExchanges();
    expect(exchanges.length).toBeGreaterThan(0);
    expect(exchanges.every(({ grantType, status }) => grantType === 'refresh_token' && status === 200)).toBe(true);
    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
  });
});
