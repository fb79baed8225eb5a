import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, openTab, type TestPage } from './support/browser.js';
import {
  answerConsent,
  callApi,
  callApiExpectingSignIn,
  callApiOrSignIn,
  readNotice,
  startSignIn,
  submitLogin,
  tokenExpiryShown,
  waitForConsent,
  waitForSignedIn,
  waitForSignedOutPage,
} from './support/spa.js';
import { startStack, type SeededUser, type Stack } from './support/stack.js';
import {
  callApiWith,
  decodeAccessToken,
  introspect,
  recordTraffic,
  redeemRefreshToken,
  type Traffic,
} from './support/tokens.js';

/**
 * The token lifecycle of issue 4 in headless Chromium: refresh-token rotation, two tabs sharing
 * one session, reuse detection, and logout, with the demo SPA, Gatehouse and the demo API as real
 * processes. Access tokens live a few seconds here and the SPA keeps its session in IndexedDB so
 * that its tabs share it (not localStorage: in Chromium a tab could take the refresh lock before
 * another tab's localStorage write reached it, and both spent the refresh token).
 */

/** Short enough to wait for, long enough that a fresh token outlives a page's round trips. */
const ACCESS_TOKEN_TTL_SECONDS = 6;
/**
 * The SPA hands out a token only while it has more than this left, so a call never reaches the
 * API with a token about to expire (the API's introspection has no clock tolerance).
 */
const REFRESH_LEEWAY_SECONDS = 3;
/** Longest wait for a token to come due: its whole lifetime plus slack for a loaded machine. */
const EXPIRY_WAIT_MS = (ACCESS_TOKEN_TTL_SECONDS + 10) * 1000;

const PEOPLE = [
  { username: 'erin', actor: 'user' }, // outlives her access token
  { username: 'tess', actor: 'user' }, // two tabs refresh at once
  { username: 'sid', actor: 'customer' }, // has his refresh token stolen
  { username: 'lou', actor: 'user' }, // signs out of two tabs
  { username: 'rita', actor: 'customer' }, // her access token is revoked before it expires
] as const;

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

let stack: Stack;
let browser: Browser;
let opened: TestPage[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack(PEOPLE, {
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      refreshLeewaySeconds: REFRESH_LEEWAY_SECONDS,
      tokenStore: 'indexeddb',
    }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(async () => {
  const pageErrors = opened.flatMap((tab) => tab.pageErrors);
  await Promise.all([...new Set(opened.map((tab) => tab.context))].map((context) => context.close()));
  opened = [];
  // Whatever the scenario, the SPA never throws an uncaught exception.
  expect(pageErrors).toEqual([]);
});

/** A first tab in a fresh browser profile, with its token and API traffic recorded. */
async function openBrowser(): Promise<{ tab: TestPage; traffic: Traffic }> {
  const tab = await openPage(browser);
  opened.push(tab);
  return { tab, traffic: recordTraffic(tab.context, stack) };
}

/** A second tab of the same profile, opened on the SPA: it finds the session in IndexedDB. */
async function openSecondTab(first: TestPage): Promise<TestPage> {
  const tab = await openTab(first.context);
  opened.push(tab);
  await tab.page.goto(`${stack.spaUrl}/`);
  return tab;
}

function person(username: (typeof PEOPLE)[number]['username']): SeededUser {
  return stack.users[username]!;
}

async function signInAndAllow(page: Page, user: SeededUser): Promise<void> {
  await startSignIn(page, stack, user.actor === 'user' ? 'agent' : 'customer');
  await submitLogin(page, user);
  await waitForConsent(page);
  await answerConsent(page, 'allow');
  await waitForSignedIn(page);
}

/**
 * Waits, by the browser's clock (the SDK's), until `accessToken` is past the point where the SDK
 * stops handing it out (`refresh: 'due'`) or past its expiry (`'expired'`). The SDK counts the
 * lifetime from just before its request and `exp` is in whole seconds: one second covers both.
 */
async function waitForToken(page: Page, accessToken: string, refresh: 'due' | 'expired'): Promise<void> {
  const { exp } = decodeAccessToken(accessToken);
  const at = (exp + 1 - (refresh === 'due' ? REFRESH_LEEWAY_SECONDS : 0)) * 1000;
  await page.waitForFunction((deadline) => Date.now() >= deadline, at, { polling: 100, timeout: EXPIRY_WAIT_MS });
}

/** The access token of `page`'s latest call to the demo API. */
function lastApiToken(traffic: Traffic, page: Page): string {
  const call = traffic.apiCalls.filter((candidate) => candidate.page === page).at(-1);
  if (!call) throw new Error('the page has not called the API');
  return call.accessToken;
}

const isoExpiry = (accessToken: string) => new Date(decodeAccessToken(accessToken).exp * 1000).toISOString();

describe('token lifecycle in the demo SPA (issue 4)', () => {
  it('a session survives access-token expiry: the next API call refreshes, gets a new access token, and Gatehouse rotates the refresh token', async () => {
    const { tab, traffic } = await openBrowser();
    const { page } = tab;
    const erin = person('erin');
    await signInAndAllow(page, erin);
    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
    const expiring = lastApiToken(traffic, page);
    expect(await tokenExpiryShown(page)).toBe(isoExpiry(expiring));
    const refreshToken = await traffic.currentRefreshToken();
    const refreshesBefore = (await traffic.refreshes()).length;

    await waitForToken(page, expiring, 'expired');
    const read = await callApi(page, 'GET');

    expect(read.status).toBe('GET /v1/answers → 200 OK');
    expect((read.body as { caller: { sub: string } }).caller.sub).toBe(erin.id);
    const renewed = lastApiToken(traffic, page);
    expect(decodeAccessToken(renewed).jti).not.toBe(decodeAccessToken(expiring).jti);
    expect(decodeAccessToken(renewed).sub).toBe(erin.id);
    // Exactly one refresh, spending the refresh token the SPA held and answered with a new pair.
    const refreshes = (await traffic.refreshes()).slice(refreshesBefore);
    expect(refreshes.map(({ status, presentedRefreshToken }) => ({ status, presentedRefreshToken }))).toEqual([
      { status: 200, presentedRefreshToken: refreshToken },
    ]);
    const rotated = refreshes[0]!.body;
    expect(rotated.access_token).toBe(renewed);
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(refreshToken);
    // Gatehouse retired the spent refresh token and keeps its successor alive.
    expect(await introspect(stack, erin.realm, refreshToken)).toEqual({ active: false });
    expect(await introspect(stack, erin.realm, rotated.refresh_token!)).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      sub: erin.id,
      client_id: stack.clientId,
    });
    // The page shows the new token's expiry, and the expired token no longer opens the API. Within
    // the API's 5 s clock tolerance introspection refuses it (described as revoked), after that the
    // local check (described as expired), so only the status and the code are exact.
    expect(await tokenExpiryShown(page)).toBe(isoExpiry(renewed));
    const stale = await callApiWith(stack, expiring);
    expect(stale.status).toBe(401);
    expect((stale.body as { error: string }).error).toBe('invalid_token');
  });

  it('two tabs sharing the session refresh at the same moment: one rotation, the same new access token in both, and both API calls answer 200', async () => {
    const { tab: first, traffic } = await openBrowser();
    const tess = person('tess');
    await signInAndAllow(first.page, tess);
    const second = await openSecondTab(first);
    expect(await waitForSignedIn(second.page)).toEqual(await waitForSignedIn(first.page));
    const due = await traffic.latestAccessToken();
    const refreshToken = await traffic.currentRefreshToken();
    const refreshesBefore = (await traffic.refreshes()).length;

    // Both tabs hold the same token; once it is due, a click in each makes both refresh at once.
    await waitForToken(first.page, due, 'due');
    const outcomes = await Promise.all([callApiOrSignIn(first.page, 'GET'), callApiOrSignIn(second.page, 'GET')]);

    // The Web Lock let one tab spend the refresh token; the other found the new token in the store
    // (a second spend would be reuse: Gatehouse would revoke the family and both tabs would lose it).
    const refreshes = (await traffic.refreshes()).slice(refreshesBefore);
    expect(refreshes.map(({ status, presentedRefreshToken }) => ({ status, presentedRefreshToken }))).toEqual([
      { status: 200, presentedRefreshToken: refreshToken },
    ]);
    expect(outcomes).toEqual(['GET /v1/answers → 200 OK', 'GET /v1/answers → 200 OK']);
    const renewed = refreshes[0]!.body;
    expect(lastApiToken(traffic, first.page)).toBe(renewed.access_token);
    expect(lastApiToken(traffic, second.page)).toBe(renewed.access_token);
    expect(decodeAccessToken(renewed.access_token!).jti).not.toBe(decodeAccessToken(due).jti);
    // No reuse was detected: the family lives on with the one successor.
    expect(await introspect(stack, tess.realm, refreshToken)).toEqual({ active: false });
    expect(await introspect(stack, tess.realm, renewed.refresh_token!)).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      sub: tess.id,
    });
    expect(await tokenExpiryShown(first.page)).toBe(isoExpiry(renewed.access_token!));
    expect(await tokenExpiryShown(second.page)).toBe(isoExpiry(renewed.access_token!));
  });

  it('replaying a stolen refresh token the SPA already rotated is refused with invalid_grant, kills the family, and the SPA asks to sign in again', async () => {
    const { tab, traffic } = await openBrowser();
    const { page } = tab;
    const sid = person('sid');
    await signInAndAllow(page, sid);
    // An attacker copies the refresh token the SPA holds (in IndexedDB, readable by any script).
    const stolen = await traffic.currentRefreshToken();
    await waitForToken(page, await traffic.latestAccessToken(), 'due');
    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
    const rotation = (await traffic.refreshes()).at(-1)!;
    expect({ status: rotation.status, presentedRefreshToken: rotation.presentedRefreshToken }).toEqual({
      status: 200,
      presentedRefreshToken: stolen,
    });
    const accessToken = lastApiToken(traffic, page);

    const replay = await redeemRefreshToken(stack, sid.realm, stolen);

    expect(replay).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'the refresh token was already used' },
    });
    // The whole family is revoked: the SPA's current refresh token, and its access token at the API (which introspects).
    expect(await introspect(stack, sid.realm, rotation.body.refresh_token!)).toEqual({ active: false });
    expect(await callApiWith(stack, accessToken)).toEqual({
      status: 401,
      body: { error: 'invalid_token', error_description: 'The access token was revoked' },
    });

    // The SPA learns it at its next refresh: Gatehouse refuses the rotated token, the SDK throws
    // LoginRequiredError, and the demo asks to sign in.
    await waitForToken(page, accessToken, 'due');
    const apiCallsBefore = traffic.apiCalls.length;
    expect(await callApiExpectingSignIn(page, 'GET')).toEqual({
      role: 'status',
      title: 'Your session has ended',
      text: 'Gatehouse refused to renew it: it expired or was revoked (for example after a stolen token was detected). Sign in again to continue.',
    });
    const refused = (await traffic.refreshes()).at(-1)!;
    expect({
      status: refused.status,
      presentedRefreshToken: refused.presentedRefreshToken,
      body: refused.body,
    }).toEqual({
      status: 400,
      presentedRefreshToken: rotation.body.refresh_token,
      body: { error: 'invalid_grant', error_description: 'the refresh token was revoked' },
    });
    expect(traffic.apiCalls.length).toBe(apiCallsBefore);
    await page.screenshot({ path: join(ARTIFACTS, 'spa-session-revoked.png'), fullPage: true });
    // The SDK cleared the stored session: a reload finds nothing to resume.
    await page.reload();
    await waitForSignedOutPage(page);
    expect(await page.locator('.notice').count()).toBe(0);
  });

  it('an API call refused with 401 invalid_token before the token is due makes the SPA refresh at once; when Gatehouse refuses the refresh token too, the SPA asks to sign in again', async () => {
    const { tab, traffic } = await openBrowser();
    const { page } = tab;
    const rita = person('rita');
    await signInAndAllow(page, rita);
    const stolen = await traffic.currentRefreshToken();
    await waitForToken(page, await traffic.latestAccessToken(), 'due');
    expect((await callApi(page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
    const held = (await traffic.refreshes()).at(-1)!.body.refresh_token;
    const accessToken = lastApiToken(traffic, page);
    // The replay revokes the family, the fresh access token included: the API (which introspects)
    // refuses it although the SPA still has seconds before it is due.
    expect((await redeemRefreshToken(stack, rita.realm, stolen)).status).toBe(400);
    const apiCallsBefore = traffic.apiCalls.length;
    const refreshesBefore = (await traffic.refreshes()).length;

    expect(await callApiExpectingSignIn(page, 'GET')).toEqual({
      role: 'status',
      title: 'Your session has ended',
      text: 'Gatehouse refused to renew it: it expired or was revoked (for example after a stolen token was detected). Sign in again to continue.',
    });

    // One API call with the revoked token, answered 401 invalid_token; then one forced refresh,
    // refused; no retry of the call.
    expect(traffic.apiCalls.slice(apiCallsBefore).map((call) => call.accessToken)).toEqual([accessToken]);
    const refreshes = (await traffic.refreshes()).slice(refreshesBefore);
    expect(
      refreshes.map(({ status, presentedRefreshToken, body }) => ({
        status,
        presentedRefreshToken,
        error: body.error,
      })),
    ).toEqual([{ status: 400, presentedRefreshToken: held, error: 'invalid_grant' }]);
  });

  it('signing out in one tab ends access in every tab: the other tab’s next call shows the sign-in page, its token is refused, and Gatehouse asks for the password again', async () => {
    const { tab: first, traffic } = await openBrowser();
    const lou = person('lou');
    await signInAndAllow(first.page, lou);
    const second = await openSecondTab(first);
    expect((await waitForSignedIn(second.page)).sub).toBe(lou.id);
    expect((await callApi(second.page, 'GET')).status).toBe('GET /v1/answers → 200 OK');
    const secondToken = lastApiToken(traffic, second.page);
    const refreshToken = await traffic.currentRefreshToken();

    await first.page.getByRole('button', { name: 'Sign out' }).click();
    expect(await readNotice(first.page)).toEqual({
      role: 'status',
      title: 'You are signed out',
      text: 'The demo dropped its tokens and Gatehouse ended your session.',
    });

    const apiCallsBefore = traffic.apiCalls.length;
    expect(await callApiExpectingSignIn(second.page, 'GET')).toEqual({
      role: 'status',
      title: 'Your session has ended',
      text: 'It expired, or you signed out in another tab. Sign in again to continue.',
    });
    expect(traffic.apiCalls.length).toBe(apiCallsBefore);
    // Revoked at Gatehouse too, so a copy of either token is worthless.
    expect(await introspect(stack, lou.realm, refreshToken)).toEqual({ active: false });
    expect(await callApiWith(stack, secondToken)).toEqual({
      status: 401,
      body: { error: 'invalid_token', error_description: 'The access token was revoked' },
    });
    // The Gatehouse session is gone for the whole browser: signing in again asks for the password.
    await startSignIn(second.page, stack, 'agent');
    expect(new URL(second.page.url()).pathname).toBe(`/system/auth/${lou.realm}/login`);
  });
});
