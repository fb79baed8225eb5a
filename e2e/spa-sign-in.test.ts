import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type TestPage } from './support/browser.js';
import {
  answerConsent,
  callApi,
  consentScopes,
  readNotice,
  startSignIn,
  submitLogin,
  waitForConsent,
  waitForSignedIn,
  waitForSignedOutPage,
} from './support/spa.js';
import { CLIENT_NAME, SCOPES, startStack, TENANT, type SeededUser, type Stack } from './support/stack.js';

/**
 * The demo SPA, Gatehouse and the demo API as real processes, driven in headless Chromium (issue 3).
 * Each scenario has its own person, so remembered consents never leak between scenarios.
 */

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
/** The demo always asks for OpenID Connect (username, sign-out hint) besides the API scopes. */
const GRANTED = ['openid', 'profile', ...SCOPES];

const PEOPLE = [
  { username: 'agent', actor: 'user' },
  { username: 'customer', actor: 'customer' },
  { username: 'dana', actor: 'user' }, // denies consent
  { username: 'rita', actor: 'user' }, // comes back
  { username: 'reed', actor: 'user' }, // asks for read only
  { username: 'tom', actor: 'user' }, // gets a tampered callback
  { username: 'ravi', actor: 'customer' }, // reloads the callback
  { username: 'sam', actor: 'customer' }, // signs out
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
  // Whatever the scenario, the SPA never throws an uncaught exception.
  expect(pageErrors).toEqual([]);
});

async function open(): Promise<TestPage> {
  const tab = await openPage(browser);
  opened.push(tab);
  return tab;
}

function person(username: (typeof PEOPLE)[number]['username']): SeededUser {
  return stack.users[username]!;
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** The first callback URL the tab was sent to (the SPA replaces it in the address bar at once). */
function callbackUrl(tab: TestPage): URL {
  const url = tab.navigations.find((candidate) => candidate.startsWith(`${stack.spaUrl}/callback?`));
  if (!url) throw new Error(`no callback among ${tab.navigations.join(', ')}`);
  return new URL(url);
}

/** Counts authorization-code redemptions the page sends from now on. */
function countTokenRequests(page: Page): { readonly count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/oauth2/token')) counter.count += 1;
  });
  return counter;
}

async function signInAndAllow(tab: TestPage, user: SeededUser, as: 'agent' | 'customer'): Promise<void> {
  await startSignIn(tab.page, stack, as);
  await submitLogin(tab.page, user);
  await waitForConsent(tab.page);
  await answerConsent(tab.page, 'allow');
  await waitForSignedIn(tab.page);
}

describe('demo SPA sign-in with Gatehouse', () => {
  it('an agent signs in through realm -U, consents, lands back in the SPA, and the API answers GET with 200 and POST with 201', async () => {
    const tab = await open();
    const { page } = tab;
    const agent = person('agent');

    await startSignIn(page, stack, 'agent');
    expect(withoutQuery(page.url())).toBe(`${stack.issuer(`${TENANT}-U`)}/login`);
    await page.screenshot({ path: join(ARTIFACTS, 'login-page.png'), fullPage: true });

    await submitLogin(page, agent);
    await waitForConsent(page);
    expect(withoutQuery(page.url())).toBe(`${stack.issuer(`${TENANT}-U`)}/consent`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      `${CLIENT_NAME} wants to access your account`,
    );
    expect(await consentScopes(page)).toEqual(GRANTED);
    await page.screenshot({ path: join(ARTIFACTS, 'consent-page.png'), fullPage: true });

    await answerConsent(page, 'allow');
    const signedIn = await waitForSignedIn(page);
    expect(signedIn).toEqual({
      heading: 'Signed in as agent',
      role: `Agent of tenant ${TENANT}`,
      sub: agent.id,
      actor: 'user',
      scopes: GRANTED,
    });
    expect(page.url()).toBe(`${stack.spaUrl}/`);
    const callback = callbackUrl(tab);
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'iss', 'state']);
    expect(callback.searchParams.get('iss')).toBe(stack.issuer(`${TENANT}-U`));

    const read = await callApi(page, 'GET');
    expect(read.status).toBe('GET /v1/answers → 200 OK');
    expect((read.body as { caller: unknown }).caller).toEqual({
      sub: agent.id,
      actor: 'user',
      tenant: TENANT,
      clientId: stack.clientId,
      scopes: GRANTED,
    });

    const write = await callApi(page, 'POST');
    expect(write.status).toBe('POST /v1/answers → 201 Created');
    expect((write.body as { answer: unknown }).answer).toMatchObject({
      question: 'What are your opening hours?',
      askedBy: { sub: agent.id, actor: 'user' },
    });
    expect(write.summary).toBe(
      'The API recorded your question. It saw actor “user” with scopes openid profile core.aiservices.read core.aiservices.write.',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'spa-signed-in.png'), fullPage: true });
  });

  it('a customer signs in through realm -C, consents, and the API answers 200 with actor customer', async () => {
    const tab = await open();
    const { page } = tab;
    const customer = person('customer');

    await startSignIn(page, stack, 'customer');
    expect(withoutQuery(page.url())).toBe(`${stack.issuer(`${TENANT}-C`)}/login`);
    await submitLogin(page, customer);
    await waitForConsent(page);
    expect(withoutQuery(page.url())).toBe(`${stack.issuer(`${TENANT}-C`)}/consent`);
    await answerConsent(page, 'allow');

    expect(await waitForSignedIn(page)).toEqual({
      heading: 'Signed in as customer',
      role: `Customer of tenant ${TENANT}`,
      sub: customer.id,
      actor: 'customer',
      scopes: GRANTED,
    });
    expect(callbackUrl(tab).searchParams.get('iss')).toBe(stack.issuer(`${TENANT}-C`));
    const read = await callApi(page, 'GET');
    expect(read.status).toBe('GET /v1/answers → 200 OK');
    expect((read.body as { caller: unknown }).caller).toEqual({
      sub: customer.id,
      actor: 'customer',
      tenant: TENANT,
      clientId: stack.clientId,
      scopes: GRANTED,
    });
  });

  it('denying consent brings the person back to the SPA with a clear message and no token', async () => {
    const tab = await open();
    const { page } = tab;
    const tokenRequests = countTokenRequests(page);

    await startSignIn(page, stack, 'agent');
    await submitLogin(page, person('dana'));
    await waitForConsent(page);
    await answerConsent(page, 'deny');

    expect(await readNotice(page)).toEqual({
      role: 'status',
      title: 'Access was not granted',
      text: 'You chose Deny on the consent page, so the demo received no token. Sign in again whenever you want to allow it.',
    });
    await waitForSignedOutPage(page);
    expect(page.url()).toBe(`${stack.spaUrl}/`);
    expect(callbackUrl(tab).searchParams.get('error')).toBe('access_denied');
    expect(tokenRequests.count).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'spa-access-denied.png'), fullPage: true });
  });

  it('a returning person signs in again in a new browser and is not asked for consent again', async () => {
    const rita = person('rita');
    await signInAndAllow(await open(), rita, 'agent');

    const again = await open();
    await startSignIn(again.page, stack, 'agent');
    await submitLogin(again.page, rita);

    expect(await waitForSignedIn(again.page)).toEqual({
      heading: 'Signed in as rita',
      role: `Agent of tenant ${TENANT}`,
      sub: rita.id,
      actor: 'user',
      scopes: GRANTED,
    });
    expect(again.navigations.filter((url) => url.includes('/consent'))).toEqual([]);
  });

  it('a token for core.aiservices.read only is accepted by GET (200) and refused by POST with 403 insufficient_scope', async () => {
    const { page } = await open();

    await startSignIn(page, stack, 'agent', { readOnly: true });
    await submitLogin(page, person('reed'));
    await waitForConsent(page);
    expect(await consentScopes(page)).toEqual(['openid', 'profile', 'core.aiservices.read']);
    await answerConsent(page, 'allow');
    expect((await waitForSignedIn(page)).scopes).toEqual(['openid', 'profile', 'core.aiservices.read']);

    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
    const write = await callApi(page, 'POST');
    expect(write.status).toBe('POST /v1/answers → 403 Forbidden');
    expect(write.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token does not grant the required scope',
    });
    expect(write.summary).toBe('Refused: this endpoint needs core.aiservices.write your token was not granted.');
  });

  it('a callback whose state was tampered with is rejected with a message and redeems nothing, while the genuine callback still works', async () => {
    const { page } = await open();
    let interceptCallback!: (url: string) => void;
    const intercepted = new Promise<string>((resolve) => (interceptCallback = resolve));
    // Take Gatehouse's answer to Allow (a 303 to the callback) before the browser follows it, as
    // an attacker in the middle would; the tab stays on the consent page.
    await page.route(`${stack.issuer(`${TENANT}-U`)}/consent`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch({ maxRedirects: 0 });
      interceptCallback(response.headers()['location'] ?? '');
      return route.fulfill({ status: 204 });
    });

    await startSignIn(page, stack, 'agent');
    await submitLogin(page, person('tom'));
    await waitForConsent(page);
    await answerConsent(page, 'allow');
    const genuine = new URL(await intercepted);
    const tampered = new URL(genuine);
    tampered.searchParams.set('state', 'a1b2c3d4e5f67890');
    const tokenRequests = countTokenRequests(page);
    await page.goto(tampered.href);

    expect(await readNotice(page)).toEqual({
      role: 'alert',
      title: 'Sign-in response rejected',
      text: 'The response did not match a sign-in started in this tab (its state was unknown), so it was ignored to protect your account. Please sign in again.',
    });
    await waitForSignedOutPage(page);
    expect(page.url()).toBe(`${stack.spaUrl}/`);
    expect(tokenRequests.count).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'spa-state-rejected.png'), fullPage: true });

    // The forged response consumed nothing: the genuine one still completes the sign-in.
    await page.goto(genuine.href);
    expect((await waitForSignedIn(page)).sub).toBe(person('tom').id);
  });

  it('reloading the callback URL after signing in shows a friendly message instead of crashing, and redeems nothing', async () => {
    const tab = await open();
    const { page } = tab;
    await signInAndAllow(tab, person('ravi'), 'customer');
    const callback = callbackUrl(tab);
    const tokenRequests = countTokenRequests(page);

    await page.goto(callback.href);

    expect(await readNotice(page)).toEqual({
      role: 'status',
      title: 'This sign-in was already completed',
      text: 'A sign-in response works only once, so opening it again (for example by reloading the page) does nothing. Sign in again to continue.',
    });
    await waitForSignedOutPage(page);
    expect(page.url()).toBe(`${stack.spaUrl}/`);
    expect(tokenRequests.count).toBe(0);
  });

  it('signing out ends the Gatehouse session: back in the SPA signed out, the old access token is refused by the API, and the next sign-in asks for the password', async () => {
    const tab = await open();
    const { page } = tab;
    const sam = person('sam');
    await signInAndAllow(tab, sam, 'customer');
    const apiRequest = page.waitForRequest((request) => request.url() === `${stack.apiUrl}/v1/answers`);
    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
    const authorization = (await apiRequest).headers()['authorization'] ?? '';

    await page.getByRole('button', { name: 'Sign out' }).click();

    expect(await readNotice(page)).toEqual({
      role: 'status',
      title: 'You are signed out',
      text: 'The demo dropped its tokens and Gatehouse ended your session.',
    });
    await waitForSignedOutPage(page);
    expect(page.url()).toBe(`${stack.spaUrl}/`);
    const endSession = tab.navigations.find((url) => url.startsWith(`${stack.issuer(sam.realm)}/oauth2/logout?`));
    expect(endSession && [...new URL(endSession).searchParams.keys()].sort()).toEqual([
      'client_id',
      'id_token_hint',
      'post_logout_redirect_uri',
      'state',
    ]);
    expect(await page.getByRole('heading', { name: /^Signed in as / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'GET /v1/answers' }).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'spa-signed-out.png'), fullPage: true });

    // The API introspects: the access token the SPA used is refused as soon as the session ends.
    const replayed = await fetch(`${stack.apiUrl.replace('localhost', '127.0.0.1')}/v1/answers`, {
      headers: { authorization },
    });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The access token was revoked',
    });

    await startSignIn(page, stack, 'customer');
    expect(withoutQuery(page.url())).toBe(`${stack.issuer(sam.realm)}/login`);
  });
});
