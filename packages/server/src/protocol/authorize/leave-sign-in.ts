import { AccessDenied } from '../errors.js';
import type { RefreshTokenRepository } from '../ports.js';
import { currentSignIn, endSession } from '../session.js';
import {
  type ClientRedirect,
  errorRedirect,
  loadPendingAuthorization,
  type PendingRefusal,
  type ShowStep,
  type SignInFlowDeps,
  stepPage,
} from './flow.js';
import type { FormSubmission } from './interaction.js';

/**
 * The two ways out of a sign-in page other than signing in or answering (issue 11): back to the
 * application from the login page, and "Not you?" on the consent page. Both are form posts of
 * the pending request's own form (its CSRF token and browser binding are checked).
 */

type Refused = { readonly kind: 'pending_refused'; readonly reason: PendingRefusal };

/**
 * "Back to the application": closes the pending request (atomically, like every answer) and
 * sends the person back with `access_denied`, `state` and `iss` (RFC 6749 §4.1.2.1, RFC 9207).
 */
export async function cancelSignIn(
  deps: SignInFlowDeps,
  input: FormSubmission,
): Promise<Refused | ClientRedirect | { readonly kind: 'already_answered' }> {
  const lookup = await loadPendingAuthorization(deps, { ...input, browserCookie: input.cookies.browser });
  if (!lookup.ok) return { kind: 'pending_refused', reason: lookup.reason };
  const { pending } = lookup;
  if (!(await deps.pendingAuthorizations.complete(pending.id, deps.clock.nowSeconds())))
    return { kind: 'already_answered' };
  return errorRedirect(
    input.realm,
    pending.redirectUri,
    pending.state,
    new AccessDenied('the person went back to the application without signing in'),
  );
}

/**
 * "Not you?": ends the realm session (and the refresh tokens issued in it, as a sign-out does,
 * OIDC RP-Initiated Logout §2) and shows the login page again for the same request. The request
 * stays open; whoever signs in next is attached to it (interaction.ts submitLogin).
 */
export async function switchAccount(
  deps: SignInFlowDeps & { readonly refreshTokens: Pick<RefreshTokenRepository, 'revokeFamilies'> },
  input: FormSubmission,
): Promise<Refused | (ShowStep & { readonly sessionEnded: boolean })> {
  const lookup = await loadPendingAuthorization(deps, { ...input, browserCookie: input.cookies.browser });
  if (!lookup.ok) return { kind: 'pending_refused', reason: lookup.reason };
  const signedIn = await currentSignIn(deps, input.realm, input.cookies.session);
  if (signedIn) {
    await endSession(deps, signedIn.session);
    await deps.securityEvents?.logout(input.realm, signedIn.user);
  }
  return { ...stepPage(input.realm, 'show_login', lookup.pending.id), sessionEnded: signedIn !== undefined };
}
