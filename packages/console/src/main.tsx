import { render } from 'preact';
import { ApiError, api, SESSION_ENDED_EVENT, SessionEnded } from './api.js';
import { App } from './app.js';
import { completeSignIn, isSignedIn } from './auth.js';
import { describeError } from './components/status.js';
import { currentRoute, navigate } from './router.js';
import { SignInPage } from './sign-in.js';
import type { Me } from './types.js';

const root = document.getElementById('app')!;

/**
 * Start-up: finish a sign-in on /admin/callback, otherwise resume the tab's session; then ask the
 * API who is signed in. Without a usable session the sign-in page is shown (never a redirect
 * loop), remembering the route to return to.
 */
async function start(): Promise<void> {
  let returnTo = currentRoute();
  if (returnTo === 'callback') {
    try {
      returnTo = await completeSignIn(window.location.href);
      navigate(returnTo, { replace: true });
    } catch (error) {
      window.history.replaceState(null, '', `${window.location.pathname.replace(/callback$/, '')}`);
      render(<SignInPage returnTo="" problem={`Sign-in failed: ${describeError(error)}`} />, root);
      return;
    }
  }
  // Back from signing out, the end-session endpoint adds our `state`: nothing to keep in the address.
  if (window.location.search) window.history.replaceState(null, '', window.location.pathname);
  if (!(await isSignedIn())) {
    render(<SignInPage returnTo={returnTo} />, root);
    return;
  }
  try {
    const me = await api.get<Me>('/me');
    render(<App me={me} />, root);
  } catch (error) {
    if (error instanceof SessionEnded) {
      render(<SignInPage returnTo={returnTo} problem="Your session has ended. Please sign in again." />, root);
    } else if (error instanceof ApiError && error.status === 403) {
      render(<SignInPage returnTo={returnTo} forbidden problem="This account may not administer Gatehouse." />, root);
    } else {
      render(<SignInPage returnTo={returnTo} problem={describeError(error)} />, root);
    }
  }
}

// A session that ends while the console is open (revoked, expired, the administrator removed)
// brings back the sign-in page, which returns to the same view afterwards.
window.addEventListener(SESSION_ENDED_EVENT, () => {
  render(<SignInPage returnTo={currentRoute()} problem="Your session has ended. Please sign in again." />, root);
});

void start();
