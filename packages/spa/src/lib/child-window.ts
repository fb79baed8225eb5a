import { PopupError, TimeoutError } from '../errors.js';
import type { ChildWindowLike, WindowLike } from '../types.js';

/**
 * The `state` of a sign-in answered in a popup or a hidden iframe starts with this, so the
 * callback page can tell it must hand the URL to the window that started it ({@link relayCallback})
 * instead of redeeming it. The rest of the state is random as usual.
 */
export const RELAY_STATE_PREFIX = 'relay.';
const MESSAGE_TYPE = 'gatehouse:callback';
/** How often the opener looks at the child window (closed? back on the redirect URI?), in milliseconds. */
const POLL_INTERVAL_MS = 100;

interface WaitOptions {
  redirectUri: string;
  state: string;
  /** Milliseconds; undefined waits until the child is closed. */
  timeoutMs: number | undefined;
  /** A popup the person may close; an iframe cannot be closed from inside. */
  popup: boolean;
}

/**
 * Resolves with the callback URL once the child window (popup or iframe) is back on the redirect
 * URI with our `state`: from a message its callback page posted (same origin as the redirect URI,
 * from that very window), or by reading its location, which the same-origin policy allows once it
 * is back on our origin. Rejects with `popup_closed` or `timeout`.
 */
export function waitForCallback(
  win: WindowLike,
  child: () => ChildWindowLike | null | undefined,
  { redirectUri, state, timeoutMs, popup }: WaitOptions,
): Promise<string> {
  const redirect = new URL(redirectUri);
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      clearInterval(poll);
      win.removeEventListener('message', onMessage);
      settle();
    };
    const accept = (url: unknown): boolean => {
      if (typeof url !== 'string') return false;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return false;
      }
      if (parsed.origin + parsed.pathname !== redirect.origin + redirect.pathname) return false;
      if (parsed.searchParams.get('state') !== state) return false;
      finish(() => resolve(url));
      return true;
    };
    function onMessage(event: { origin: string; source: unknown; data: unknown }): void {
      if (event.origin !== redirect.origin || event.source !== child()) return;
      const data = event.data as { type?: unknown; url?: unknown } | null;
      if (data?.type === MESSAGE_TYPE) accept(data.url);
    }
    win.addEventListener('message', onMessage);
    const poll = setInterval(() => {
      const target = child();
      let href: string | undefined;
      try {
        href = target?.location.href;
      } catch {
        // Still on Gatehouse's origin: its location is not ours to read.
      }
      if (accept(href)) return;
      if (popup && (!target || target.closed)) {
        finish(() =>
          reject(new PopupError('popup_closed', 'the sign-in window was closed before the sign-in finished')),
        );
      }
    }, POLL_INTERVAL_MS);
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => finish(() => reject(new TimeoutError(`no answer from the authorization server within ${timeoutMs} ms`))),
        timeoutMs,
      );
    }
  });
}

/** The part of `window` {@link relayCallback} uses. */
export interface RelayWindowLike {
  readonly location: { readonly href: string };
  readonly opener?: { postMessage(message: unknown, targetOrigin: string): void } | null;
  readonly parent?: { postMessage(message: unknown, targetOrigin: string): void } | null;
}

/**
 * Call first thing on the redirect URI page. When this page is the answer to `loginWithPopup()` or
 * to `checkSession()`'s hidden iframe, it hands the callback URL to the window that started the
 * sign-in (which redeems the code and closes the popup or removes the iframe) and returns true:
 * the page should then do nothing else. Otherwise (a normal redirect sign-in) it returns false.
 * The message is posted to this page's own origin only, so no other site can read the code.
 */
export function relayCallback(
  url: string = globalThis.location.href,
  win: RelayWindowLike = globalThis as unknown as RelayWindowLike,
): boolean {
  const parsed = new URL(url);
  if (!parsed.searchParams.get('state')?.startsWith(RELAY_STATE_PREFIX)) return false;
  const target = win.opener ?? (win.parent && (win.parent as unknown) !== win ? win.parent : null);
  if (!target) return false;
  target.postMessage({ type: MESSAGE_TYPE, url }, parsed.origin);
  return true;
}

const POPUP_FEATURES = 'popup,width=500,height=650';

/** Opens the sign-in popup, empty for now; null when the browser blocked it. */
export function openPopup(win: WindowLike): ChildWindowLike | null {
  return win.open('', 'gatehouse-sign-in', POPUP_FEATURES);
}

/**
 * Loads `url` in a hidden iframe and resolves with the callback URL it ends on; the iframe is
 * removed whatever happens. Only a `prompt=none` request may go there: Gatehouse's pages refuse
 * to be framed (`frame-ancestors 'none'`), its redirects do not.
 */
export async function answerInIframe(
  win: WindowLike,
  url: string,
  options: Omit<WaitOptions, 'popup'>,
): Promise<string> {
  const iframe = win.document.createElement('iframe');
  iframe.setAttribute('aria-hidden', 'true');
  iframe.setAttribute('tabindex', '-1');
  iframe.setAttribute('title', 'Gatehouse session check');
  iframe.setAttribute('style', 'display:none');
  win.document.body.appendChild(iframe);
  iframe.src = url;
  try {
    return await waitForCallback(win, () => iframe.contentWindow, { ...options, popup: false });
  } finally {
    iframe.remove();
  }
}
