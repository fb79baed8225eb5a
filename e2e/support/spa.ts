import type { Page } from 'playwright-core';
import type { SeededUser, Stack } from './stack.js';

/**
 * Steps through the demo SPA and Gatehouse's pages the way a person does, by role and label.
 * Each step waits for the page it expects; assertions stay in the tests.
 */

export async function startSignIn(
  page: Page,
  stack: Stack,
  as: 'agent' | 'customer',
  options: { readOnly?: boolean } = {},
): Promise<void> {
  await page.goto(`${stack.spaUrl}/`);
  if (options.readOnly) await page.getByRole('checkbox', { name: /core\.aiservices\.write/ }).uncheck();
  await page.getByRole('button', { name: `Sign in as ${as}` }).click();
  await page.locator('input[name="username"]').waitFor();
}

export async function submitLogin(page: Page, user: SeededUser): Promise<void> {
  await page.locator('input[name="username"]').fill(user.username);
  await page.locator('input[name="password"]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function waitForConsent(page: Page): Promise<void> {
  await page.locator('button[name="decision"][value="allow"]').waitFor();
}

export async function answerConsent(page: Page, decision: 'allow' | 'deny'): Promise<void> {
  await page.locator(`button[name="decision"][value="${decision}"]`).click();
}

/** The scopes the consent page lists, by their technical names. */
export async function consentScopes(page: Page): Promise<string[]> {
  return page.locator('.scopes .name').allTextContents();
}

export interface SignedInFacts {
  heading: string;
  role: string;
  sub: string;
  actor: string;
  scopes: string[];
}

export async function waitForSignedIn(page: Page): Promise<SignedInFacts> {
  const heading = page.getByRole('heading', { name: /^Signed in as / });
  await heading.waitFor();
  return {
    heading: (await heading.textContent()) ?? '',
    role: (await page.locator('[data-fact="role"]').textContent()) ?? '',
    sub: (await page.locator('[data-claim="sub"]').textContent()) ?? '',
    actor: (await page.locator('[data-claim="actor"] code').textContent()) ?? '',
    scopes: await page.locator('ul.scopes li').allTextContents(),
  };
}

export interface ApiCallOutcome {
  /** e.g. "GET /v1/answers → 200 OK" */
  status: string;
  summary: string;
  body: unknown;
}

/** Clicks GET or POST and waits until the result area shows that request's outcome. */
export async function callApi(page: Page, method: 'GET' | 'POST'): Promise<ApiCallOutcome> {
  await page.getByRole('button', { name: `${method} /v1/answers` }).click();
  const result = page.locator('#api-result[aria-busy="false"]');
  const status = result.locator('.status', { hasText: `${method} /v1/answers →` });
  await status.waitFor();
  return {
    status: (await status.textContent()) ?? '',
    summary: (await result.locator('.summary').textContent()) ?? '',
    body: JSON.parse((await result.locator('pre').textContent()) ?? 'null'),
  };
}

export interface NoticeFacts {
  role: string | null;
  title: string;
  text: string;
}

export async function readNotice(page: Page): Promise<NoticeFacts> {
  const notice = page.locator('.notice');
  await notice.waitFor();
  return {
    role: await notice.getAttribute('role'),
    title: (await notice.locator('.notice-title').textContent()) ?? '',
    text: (await notice.locator('p').textContent()) ?? '',
  };
}

/** Whether the signed-out page (the sign-in form) is showing. */
export async function waitForSignedOutPage(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign in as agent' }).waitFor();
}

/** The access-token expiry the signed-in page shows, as its machine-readable ISO time. */
export async function tokenExpiryShown(page: Page): Promise<string | null> {
  return page.locator('[data-claim="exp"] time').getAttribute('datetime');
}

/**
 * Clicks GET or POST when the SPA is expected to have no session any more: waits for the notice
 * above the sign-in form that replaces the signed-in page.
 */
export async function callApiExpectingSignIn(page: Page, method: 'GET' | 'POST'): Promise<NoticeFacts> {
  await page.getByRole('button', { name: `${method} /v1/answers` }).click();
  await waitForSignedOutPage(page);
  return readNotice(page);
}

/**
 * Clicks GET or POST and waits for whichever comes: the API's answer (its status line) or, when
 * the SPA has no session any more, the sign-in page's notice (its title, prefixed "signed out: ").
 */
export async function callApiOrSignIn(page: Page, method: 'GET' | 'POST'): Promise<string> {
  await page.getByRole('button', { name: `${method} /v1/answers` }).click();
  const status = page.locator('#api-result[aria-busy="false"] .status', { hasText: `${method} /v1/answers →` });
  const notice = page.locator('.notice .notice-title');
  await status.or(notice).waitFor();
  if ((await notice.count()) > 0) return `signed out: ${await notice.textContent()}`;
  return (await status.textContent()) ?? '';
}
