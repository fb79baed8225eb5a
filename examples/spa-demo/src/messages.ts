import {
  AccessDeniedError,
  GatehouseError,
  IssuerMismatchError,
  LoginRequiredError,
  OAuthError,
  PopupError,
  StateMismatchError,
} from '@gatehouse/spa';
import { config } from './config.js';

/** A message for the person, shown above the page content. */
export interface Notice {
  readonly tone: 'info' | 'error';
  readonly title: string;
  readonly text: string;
}

/** What to tell the person when a popup sign-in failed; other failures as for a redirect sign-in. */
export function describePopupSignInError(error: unknown): Notice {
  if (!(error instanceof PopupError)) return describeSignInError(error, { reused: false });
  return error.code === 'popup_blocked'
    ? {
        tone: 'error',
        title: 'The sign-in window was blocked',
        text: 'Your browser did not let the demo open a popup. Allow popups for this page, or sign in without the popup.',
      }
    : { tone: 'info', title: 'Sign-in cancelled', text: 'The sign-in window was closed before you signed in.' };
}

/**
 * What to tell the person when a sign-in could not be completed. `reused` is true when the
 * callback's state is the one this tab already handled: the callback page was reloaded.
 */
export function describeSignInError(error: unknown, { reused }: { reused: boolean }): Notice {
  if (error instanceof AccessDeniedError) {
    return {
      tone: 'info',
      title: 'Access was not granted',
      text: 'You chose Deny on the consent page, so the demo received no token. Sign in again whenever you want to allow it.',
    };
  }
  if (error instanceof StateMismatchError) {
    return reused
      ? {
          tone: 'info',
          title: 'This sign-in was already completed',
          text: 'A sign-in response works only once, so opening it again (for example by reloading the page) does nothing. Sign in again to continue.',
        }
      : {
          tone: 'error',
          title: 'Sign-in response rejected',
          text: 'The response did not match a sign-in started in this tab (its state was unknown), so it was ignored to protect your account. Please sign in again.',
        };
  }
  if (error instanceof IssuerMismatchError) {
    return {
      tone: 'error',
      title: 'Sign-in response rejected',
      text: 'The response did not come from the expected Gatehouse realm, so it was ignored. Please sign in again.',
    };
  }
  if (error instanceof OAuthError) {
    return {
      tone: 'error',
      title: 'Sign-in failed',
      text: `Gatehouse answered ${error.error}${error.description ? `: ${error.description}` : ''}.`,
    };
  }
  return describeError(error);
}

/** What to tell the person about any other failure of the SDK. */
export function describeError(error: unknown): Notice {
  if (error instanceof LoginRequiredError) return describeSessionEnd(error);
  if (error instanceof GatehouseError && (error.code === 'network_error' || error.code === 'discovery_failed')) {
    return {
      tone: 'error',
      title: 'Gatehouse is not reachable',
      text: `Could not reach Gatehouse at ${config.gatehouseUrl}. Is it running (npm start)?`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { tone: 'error', title: 'Something went wrong', text: message };
}

/**
 * Why there is no session any more. The SDK attaches Gatehouse's refusal of the refresh token as
 * the cause; without one, the session was simply gone from the token store.
 */
function describeSessionEnd(error: LoginRequiredError): Notice {
  const title = 'Your session has ended';
  if (error.cause instanceof OAuthError) {
    return {
      tone: 'info',
      title,
      text: 'Gatehouse refused to renew it: it expired or was revoked (for example after a stolen token was detected). Sign in again to continue.',
    };
  }
  if (config.tokenStore === 'indexeddb' || config.tokenStore === 'local') {
    return { tone: 'info', title, text: 'It expired, or you signed out in another tab. Sign in again to continue.' };
  }
  return { tone: 'info', title, text: 'The access token expired. Sign in again to continue.' };
}
