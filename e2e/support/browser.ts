import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from './chromium-path.js';

/**
 * Debian's Chromium (or GATEHOUSE_CHROMIUM / CHROME_PATH), never a downloaded build; flags keep it
 * quiet and offline in containers.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** How long a locator or navigation may take before the step fails, in milliseconds. */
const STEP_TIMEOUT_MS = 10_000;

export interface TestPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions of the page's scripts: a crash of the SPA shows up here. */
  readonly pageErrors: string[];
  /** Every URL the main frame requested as a navigation, redirect hops included, in order. */
  readonly navigations: string[];
}

/** A page in a fresh browser context: no cookies, no storage, as a first-time visitor. */
export async function openPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  return openTab(context);
}

/** Another tab of the same browser profile: it shares cookies, localStorage, IndexedDB and Web Locks with the others. */
export async function openTab(context: BrowserContext): Promise<TestPage> {
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const navigations: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations.push(request.url());
  });
  return { context, page, pageErrors, navigations };
}
