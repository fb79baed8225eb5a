import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type TestPage } from './support/browser.js';
import { type ConsoleStack, startConsoleStack } from './support/console-stack.js';
import { answerConsent, submitLogin, waitForConsent, waitForSignedIn } from './support/spa.js';
import { SCOPES, TENANT } from './support/stack.js';
import { decodeAccessToken } from './support/tokens.js';

/**
 * Issue 9: an operator signs in to the web console, registers the demo SPA as a client
 * application, reads its Metadata, and the SPA signs an agent in with that client; once the
 * operator disables the client, the next sign-in is refused. Gatehouse, the demo API and the demo
 * SPA run as real processes, the console is the built one served by Gatehouse at /admin/.
 * One scenario in steps: each step needs what the previous one registered.
 */

const ARTIFACTS = fileURLToPath(new URL('./artifacts/console/', import.meta.url));
/** With GATEHOUSE_DOCS_SCREENSHOTS=1 the screenshots replace those of docs/console.md. */
const DOCS_IMAGES = fileURLToPath(new URL('../docs/images/', import.meta.url));
const FOR_DOCS = process.env.GATEHOUSE_DOCS_SCREENSHOTS === '1';
const CLIENT_NAME = 'Answers SPA';
const METADATA_LABELS = ['Authorization URL', 'Access Token URL', 'Domain URL', 'Metadata URL'];
/** Steps that build the demo SPA or walk every screen twice may take longer than one page's worth. */
const LONG_STEP_MS = 90_000;

let stack: ConsoleStack;
let browser: Browser;
let operatorTab: TestPage;
let clientId = '';
const pageErrors: string[] = [];
const cspViolations: string[] = [];

beforeAll(async () => {
  mkdirSync(FOR_DOCS ? DOCS_IMAGES : ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  operatorTab = await openPage(browser);
  await operatorTab.page.setViewportSize({ width: 1280, height: 800 });
  operatorTab.page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  pageErrors.push(...(operatorTab?.pageErrors ?? []));
  await browser?.close();
  await stack?.stop();
});

async function screenshot(page: Page, name: string): Promise<void> {
  const path = FOR_DOCS ? join(DOCS_IMAGES, `console-${name}.png`) : join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
}

/** The Metadata view's rows of one realm, by their labels. */
async function metadataOf(page: Page, realm: string): Promise<Record<string, string>> {
  const section = page.locator(`[data-realm="${realm}"]`);
  await section.waitFor();
  const rows: Record<string, string> = {};
  for (const label of METADATA_LABELS) {
    const row = section.locator('.url-row', { has: page.locator('dt', { hasText: label }) });
    rows[label] = ((await row.locator('code').textContent()) ?? '').trim();
  }
  return rows;
}

/** From the demo SPA's first page to the agent's sign-in answer of Gatehouse (login page or refusal). */
async function startAgentSignIn(page: Page): Promise<void> {
  await page.goto(`${stack.spaUrl}/`);
  await page.getByRole('button', { name: 'Sign in as agent' }).click();
}

describe('web console (issue 9)', () => {
  it('an operator signs in to the console at /admin/ through realm GATEHOUSE-U and lands on the page they asked for', async () => {
    const { page } = operatorTab;
    const clientsPage = `${stack.consoleUrl}tenants/${TENANT}/clients`;
    const first = await page.goto(clientsPage);
    expect(first?.status()).toBe(200);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name="username"]').waitFor();
    expect(page.url().startsWith(`${stack.issuer('GATEHOUSE-U')}/login`)).toBe(true);
    await submitLogin(page, { ...stack.operator, id: '', actor: 'user', realm: 'GATEHOUSE-U' });

    await page.getByRole('heading', { level: 1, name: 'Client applications' }).waitFor();
    expect(page.url()).toBe(clientsPage);
    expect(await page.locator('header').textContent()).toContain(`Signed in as ${stack.operator.username}`);
    expect(await page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(true);
    expect(await page.getByRole('main').isVisible()).toBe(true);
  });

  it('shows the API’s problem next to the field at fault when a registration is invalid', async () => {
    const { page } = operatorTab;
    await page.getByRole('link', { name: 'Register client application' }).click();
    await page.getByRole('heading', { level: 1, name: 'Register client application' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(CLIENT_NAME);
    await page.getByRole('radio', { name: /Single-page app/ }).check();
    await page.getByLabel('Resource type').selectOption('user');
    await page.getByLabel('Redirect URIs', { exact: true }).fill('not a url');
    await page.getByRole('button', { name: 'Register client application' }).click();

    const fieldError = page.locator('.field-error[data-field="redirect_uris"]');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/^Line 1: /);
    const textarea = page.getByLabel('Redirect URIs', { exact: true });
    expect(await textarea.getAttribute('aria-invalid')).toBe('true');
    expect(await textarea.getAttribute('aria-describedby')).toContain(await fieldError.getAttribute('id'));
    expect(await page.getByRole('alert').first().textContent()).toContain('please correct the fields marked below');
    await screenshot(page, 'register-invalid');
  });

  it('the operator registers the SPA and its Metadata view lists the four URLs of realm -U', async () => {
    const { page } = operatorTab;
    await page.getByLabel('Redirect URIs', { exact: true }).fill(`${stack.spaUrl}/callback`);
    await page.getByLabel('Post-logout redirect URIs').fill(`${stack.spaUrl}/`);
    for (const scope of SCOPES)
      await page.getByRole('checkbox', { name: new RegExp(scope.replace('.', '\\.')) }).check();
    await screenshot(page, 'register');
    await page.getByRole('button', { name: 'Register client application' }).click();

    await page.getByRole('heading', { level: 2, name: 'Metadata' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(CLIENT_NAME);
    clientId = ((await page.locator('[data-metadata="client_id"]').textContent()) ?? '').trim();
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(page.url()).toBe(`${stack.consoleUrl}tenants/${TENANT}/clients/${clientId}/metadata`);

    const issuer = stack.issuer(`${TENANT}-U`);
    expect(await metadataOf(page, `${TENANT}-U`)).toEqual({
      'Authorization URL': `${issuer}/oauth2/authorize`,
      'Access Token URL': `${issuer}/oauth2/token`,
      'Domain URL': stack.apiUrl,
      'Metadata URL': `${issuer}/.well-known/openid-configuration`,
    });
    // A user-type client has no customer realm.
    expect(await page.locator(`[data-realm="${TENANT}-C"]`).count()).toBe(0);
    // Every URL has its labelled copy button, and it copies that URL.
    for (const label of METADATA_LABELS) {
      expect(await page.getByRole('button', { name: `Copy ${label} of ${TENANT}-U` }).count()).toBe(1);
    }
    await operatorTab.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.gatehouseUrl });
    const copyToken = page.getByRole('button', { name: `Copy Access Token URL of ${TENANT}-U` });
    await copyToken.click();
    await page.locator('.url-row', { has: copyToken }).getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${issuer}/oauth2/token`);
    await screenshot(page, 'metadata');
  });

  it(
    'the demo SPA, built with that client id, signs the agent in with the registered client',
    async () => {
      await stack.startDemoApps(clientId);
      const tab = await openPage(browser);
      const tokenClients: string[] = [];
      tab.page.on('response', async (response) => {
        if (!response.url().endsWith('/oauth2/token') || response.status() !== 200) return;
        const body = (await response.json()) as { access_token: string };
        tokenClients.push(decodeAccessToken(body.access_token).client_id);
      });
      await startAgentSignIn(tab.page);
      await submitLogin(tab.page, stack.agent);
      await waitForConsent(tab.page);
      expect(await tab.page.getByRole('heading', { level: 1 }).textContent()).toBe(
        `${CLIENT_NAME} wants to access your account`,
      );
      await answerConsent(tab.page, 'allow');
      const signedIn = await waitForSignedIn(tab.page);
      expect(signedIn.heading).toBe('Signed in as agent');
      expect(tokenClients).toEqual([clientId]);
      pageErrors.push(...tab.pageErrors);
      await tab.context.close();
    },
    LONG_STEP_MS,
  );

  it('the operator disables the client in the console, and the next sign-in with it is refused by Gatehouse', async () => {
    const { page } = operatorTab;
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { level: 2, name: 'Actions' }).waitFor();
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('button', { name: `Disable ${CLIENT_NAME}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${CLIENT_NAME} disabled.` })
      .waitFor();
    await page.locator('.title-row .badge', { hasText: 'Disabled' }).waitFor();
    await screenshot(page, 'client-disabled');

    const tab = await openPage(browser);
    const authorize = tab.page.waitForResponse((response) => response.url().includes('/oauth2/authorize?'));
    await startAgentSignIn(tab.page);
    const refused = await authorize;
    expect(refused.status()).toBe(400);
    await tab.page.getByRole('heading', { level: 1, name: 'Unknown application' }).waitFor();
    // Refused at Gatehouse: no login page, and nothing was sent back to the SPA.
    expect(await tab.page.locator('input[name="password"]').count()).toBe(0);
    expect(tab.navigations.some((url) => url.startsWith(`${stack.spaUrl}/callback`))).toBe(false);
    pageErrors.push(...tab.pageErrors);
    await tab.context.close();
  });

  it('the console is readable at 390 px: the Metadata view fits the width without sideways scrolling', async () => {
    const { page } = operatorTab;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Metadata' }).click();
    await page.getByRole('heading', { level: 2, name: 'Metadata' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'metadata-390');
    await page.getByRole('link', { name: 'Client applications' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Client applications' }).waitFor();
    await screenshot(page, 'clients-390');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('heading', { level: 1, name: 'Client applications' }).waitFor();
    await screenshot(page, 'clients');
  });

  it('a web client’s secret is shown once with a copy button, never again after a reload; rotating shows a new one', async () => {
    const { page } = operatorTab;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${stack.consoleUrl}tenants/${TENANT}/clients/new`);
    await page.getByLabel('Name', { exact: true }).fill('Back office');
    await page.getByRole('radio', { name: /Web application/ }).check();
    await page.getByLabel('Redirect URIs', { exact: true }).fill('https://backoffice.example.com/callback');
    await page.getByRole('button', { name: 'Register client application' }).click();

    const secret = page.locator('[data-secret]');
    await secret.waitFor();
    const first = ((await secret.textContent()) ?? '').trim();
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await page.getByRole('button', { name: 'Copy client secret' }).count()).toBe(1);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Metadata' }).waitFor();
    expect(await secret.count()).toBe(0);
    expect(await page.content()).not.toContain(first);

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await secret.waitFor();
    const rotated = ((await secret.textContent()) ?? '').trim();
    expect(rotated).not.toBe(first);
    await page.getByRole('status').filter({ hasText: 'New client secret created' }).waitFor();
  });

  it(
    'every screen loads from the admin API without an error, at 1280 and 390 px (the screenshots of docs/console.md)',
    async () => {
      const { page } = operatorTab;
      const tenant = `tenants/${TENANT}`;
      const screens = [
        ['tenants', 'tenants', 'Tenants'],
        [`${tenant}/scopes`, 'scopes', 'Scopes'],
        [`${tenant}/users`, 'users', 'Users'],
        [`${tenant}/users/${stack.agent.id}`, 'user', 'agent'],
        [`${tenant}/keys`, 'keys', 'Signing keys'],
        ['audit', 'audit', 'Audit events'],
        [`${tenant}/clients/${clientId}`, 'client', CLIENT_NAME],
      ] as const;
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 800 });
        for (const [route, name, heading] of screens) {
          await page.goto(`${stack.consoleUrl}${route}`);
          await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
          await page.locator('[aria-live="polite"]', { hasText: 'Loading' }).waitFor({ state: 'detached' });
          expect(await page.locator('.notice.error').allTextContents(), `${route} at ${width}px`).toEqual([]);
          // Readable at this width: nothing runs off the side of the page.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${route} at ${width}px`).toBeLessThanOrEqual(0);
          if (width === 1280) await screenshot(page, name);
          else if (name === 'user' || name === 'audit') await screenshot(page, `${name}-390`);
        }
      }
      // The agent's consent to the SPA is listed and can be withdrawn from the user's page.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${stack.consoleUrl}${tenant}/users/${stack.agent.id}`);
      const consent = page.getByRole('row', { name: new RegExp(CLIENT_NAME) });
      await consent.waitFor();
      await consent.getByRole('button', { name: 'Withdraw' }).click();
      await page.getByRole('button', { name: `Withdraw consent for ${CLIENT_NAME}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Consent for ${CLIENT_NAME} withdrawn.` })
        .waitFor();
      // The list is asked again after the withdrawal: the row goes once the answer is in.
      await page.getByRole('row', { name: new RegExp(CLIENT_NAME) }).waitFor({ state: 'detached' });
      await page.getByText('No consents.').waitFor();
    },
    LONG_STEP_MS,
  );

  it('is usable by keyboard: the skip link comes first and leads to the main content', async () => {
    const { page } = operatorTab;
    await page.goto(`${stack.consoleUrl}tenants`);
    await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('ran without uncaught exceptions or CSP violations in any page', () => {
    expect([...pageErrors, ...operatorTab.pageErrors]).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
