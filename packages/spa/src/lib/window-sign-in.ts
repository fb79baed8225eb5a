import { ConfigurationError, LoginRequiredError, PopupError } from '../errors.js';
import type { AuthorizationOptions, CheckSessionOptions, PopupLoginOptions, WindowLike } from '../types.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { answerInIframe, openPopup, RELAY_STATE_PREFIX, waitForCallback } from './child-window.js';
import { isProbablySameSite } from './same-site.js';
import type { PendingTransaction } from './transactions.js';

/** How long `checkSession()` waits for the hidden iframe by default: 10 seconds. */
const DEFAULT_IFRAME_TIMEOUT_SECONDS = 10;

/** What the client lends the sign-ins that happen in another window (popup, hidden iframe). */
export interface WindowSignInDeps {
  window: WindowLike | undefined;
  redirectUri: string;
  authorizationEndpoint: string;
  startAuthorization(options: AuthorizationOptions, statePrefix: string): Promise<AuthorizationRequest>;
  completeAuthorization(params: URLSearchParams, tx: PendingTransaction, how: 'popup' | 'iframe'): Promise<void>;
  hasStoredSession(): Promise<boolean>;
  /** Makes the stored session usable (refreshing if due); throws `LoginRequiredError` when it is dead. */
  useStoredSession(): Promise<void>;
}

/**
 * `loginWithPopup()` and `checkSession()`: both send an authorization request to another window
 * with a `relay.` state, wait for it to come back to the redirect URI, and redeem the code here,
 * so the page itself never navigates.
 */
export function createWindowSignIns(deps: WindowSignInDeps) {
  function requireWindow(what: string): WindowLike {
    if (!deps.window) throw new ConfigurationError(`${what} needs a browser window; pass options.window`);
    return deps.window;
  }

  async function loginWithPopup(options: PopupLoginOptions = {}): Promise<void> {
    const win = requireWindow('loginWithPopup()');
    // Opened before the first await: browsers allow a popup only within the click's user activation.
    const popup = options.popup ?? openPopup(win);
    if (!popup) {
      throw new PopupError(
        'popup_blocked',
        'the browser blocked the sign-in window; call loginWithPopup() from a click',
      );
    }
    try {
      const { url, tx } = await deps.startAuthorization(options, RELAY_STATE_PREFIX);
      popup.location.href = url;
      const callback = await waitForCallback(win, () => popup, {
        redirectUri: deps.redirectUri,
        state: tx.state,
        timeoutMs: options.timeoutSeconds === undefined ? undefined : options.timeoutSeconds * 1000,
        popup: true,
      });
      await deps.completeAuthorization(new URL(callback).searchParams, tx, 'popup');
    } finally {
      popup.close();
    }
  }

  async function checkSession(options: CheckSessionOptions = {}): Promise<void> {
    let storeError: LoginRequiredError | undefined;
    if (await deps.hasStoredSession()) {
      try {
        return await deps.useStoredSession();
      } catch (err) {
        // A dead session (refused refresh token, expired without one) may still be renewed below.
        if (!(err instanceof LoginRequiredError)) throw err;
        storeError = err;
      }
    }
    const win = deps.window;
    const sameSite =
      win !== undefined && isProbablySameSite(new URL(deps.authorizationEndpoint), new URL(win.location.origin));
    if (!(options.iframe ?? sameSite)) {
      throw (
        storeError ??
        new LoginRequiredError(
          'no session in the token store, and Gatehouse is not same-site with this page for a silent check',
        )
      );
    }
    // OIDC Core §3.1.2.1 prompt=none: Gatehouse answers at once, with a code or an error, never a page.
    const { url, tx } = await deps.startAuthorization({ ...options, prompt: 'none' }, RELAY_STATE_PREFIX);
    const callback = await answerInIframe(requireWindow('checkSession()'), url, {
      redirectUri: deps.redirectUri,
      state: tx.state,
      timeoutMs: (options.timeoutSeconds ?? DEFAULT_IFRAME_TIMEOUT_SECONDS) * 1000,
    });
    await deps.completeAuthorization(new URL(callback).searchParams, tx, 'iframe');
  }

  return { loginWithPopup, checkSession };
}
