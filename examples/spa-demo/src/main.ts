import { LoginRequiredError, relayCallback, type GatehouseClient, type GetAccessTokenOptions } from '@gatehouse/spa';
import { callAnswers } from './api.js';
import {
  forgetLastRealm,
  handleCallback,
  rememberHandledState,
  rememberLastRealm,
  restoreSession,
  signIn,
  signInWithPopup,
  signOut,
  takeSignedOut,
  wasHandled,
  type SignedIn,
} from './auth.js';
import { realmInfo } from './config.js';
import { describeError, describePopupSignInError, describeSignInError, type Notice } from './messages.js';
import {
  busyView,
  noticeView,
  showApiBusy,
  showApiProblem,
  showApiResult,
  showTokenExpiry,
  signedInView,
  signedOutView,
} from './views.js';
import './styles.css';

const main = document.querySelector<HTMLElement>('#main')!;

/** Shows a page, with an optional notice above it, and moves focus to what changed. */
function show(content: HTMLElement, notice?: Notice, focus?: HTMLElement | null): void {
  const noticeElement = notice ? noticeView(notice) : undefined;
  main.replaceChildren(...(noticeElement ? [noticeElement] : []), content);
  (noticeElement ?? focus)?.focus();
}

function showSignedOut(notice?: Notice): void {
  show(
    signedOutView({
      async onSignIn(realm, scope, { popup }) {
        if (!popup) {
          try {
            await signIn(realm, scope);
          } catch (error) {
            showSignedOut(describeError(error));
          }
          return;
        }
        // The popup is opened before anything else, inside the click (see signInWithPopup).
        const signingIn = signInWithPopup(realm, scope);
        show(busyView('Signing in in the popup window…'));
        try {
          showSignedIn(await signingIn);
        } catch (error) {
          showSignedOut(describePopupSignInError(error));
        }
      },
    }),
    notice,
  );
}

/**
 * The session's access token for an API call, its expiry shown on the page. Undefined when there
 * is none: the page then shows the sign-in form (session over) or the problem.
 */
async function accessTokenFor(
  client: GatehouseClient,
  output: HTMLElement,
  request: string,
  options?: GetAccessTokenOptions,
): Promise<string | undefined> {
  let token: string;
  try {
    token = await client.getAccessToken(options);
  } catch (error) {
    if (error instanceof LoginRequiredError) showSignedOut(describeError(error));
    else showApiProblem(output, request, describeError(error).text);
    return undefined;
  }
  const claims = await client.getClaims();
  if (claims) showTokenExpiry(claims.exp);
  return token;
}

/** Calls the demo API with the session's access token and shows the answer. */
async function callApi(
  client: GatehouseClient,
  method: 'GET' | 'POST',
  question: string,
  output: HTMLElement,
): Promise<void> {
  const request = `${method} /v1/answers`;
  showApiBusy(output, request);
  // Refreshed first when it is about to expire; with a shared store another tab may have done it.
  let token = await accessTokenFor(client, output, request);
  if (token === undefined) return;
  try {
    let result = await callAnswers(token, method, question);
    // The API refused a token that had not expired (revoked, say): refresh now and retry, once.
    // If Gatehouse refuses the refresh too, the session is over and the sign-in form shows.
    if (result.status === 401 && result.challenge?.error === 'invalid_token') {
      token = await accessTokenFor(client, output, request, { forceRefresh: true });
      if (token === undefined) return;
      result = await callAnswers(token, method, question);
    }
    showApiResult(output, result);
  } catch {
    showApiProblem(
      output,
      request,
      `Could not reach the demo API. Is it running, and does it allow calls from ${window.location.origin} (CORS)?`,
    );
  }
}

function showSignedIn({ realm, client, claims, username }: SignedIn): void {
  rememberLastRealm(realm, client);
  const view = signedInView(
    { realm: realmInfo(realm), claims, username },
    {
      onCall: (method, question, output) => callApi(client, method, question, output),
      onSignOut: () => signOut(client),
    },
  );
  show(view, undefined, view.querySelector<HTMLElement>('#who-heading'));
}

/** The redirect URI page (/callback). */
async function completeSignIn(): Promise<void> {
  const callbackUrl = window.location.href;
  const state = new URL(callbackUrl).searchParams.get('state');
  // The code and state have no business in the address bar or the history once read.
  window.history.replaceState(null, '', '/');
  if (state === null) return showSignedOut();

  const reused = wasHandled(state);
  rememberHandledState(state);
  show(busyView('Completing sign-in…'));
  try {
    showSignedIn(await handleCallback(callbackUrl));
  } catch (error) {
    showSignedOut(describeSignInError(error, { reused }));
  }
}

/** Any other page load: back from sign-out, or a session left in a persistent token store. */
async function start(): Promise<void> {
  const signedOut = takeSignedOut(window.location.href);
  if (window.location.search) window.history.replaceState(null, '', window.location.pathname);
  if (signedOut)
    return showSignedOut({
      tone: 'info',
      title: 'You are signed out',
      text: 'The demo dropped its tokens and Gatehouse ended your session.',
    });
  show(busyView('Looking for a session…'));
  try {
    const session = await restoreSession();
    if (session) showSignedIn(session);
    else showSignedOut();
  } catch (error) {
    if (error instanceof LoginRequiredError) forgetLastRealm();
    showSignedOut(describeError(error));
  }
}

if (window.location.pathname === '/callback') {
  // A popup's or the hidden iframe's callback belongs to the window that started that sign-in.
  if (!relayCallback()) void completeSignIn();
} else {
  void start();
}
