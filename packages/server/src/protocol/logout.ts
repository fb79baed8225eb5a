import { ID_TOKEN_SIGNING_ALGS } from './model.js';
import { buildAuthorizationResponseUrl } from './authorization-response-url.js';
import type { Realm, User } from './model.js';
import type {
  ClientDirectory,
  Clock,
  RefreshTokenRepository,
  SecurityEventSink,
  SessionStore,
  UserDirectory,
} from './ports.js';
import { constantTimeEqual, hashOpaqueSecret } from './secrets.js';
import { currentSignIn, endSession } from './session.js';
import type { OwnJwtVerifier } from './token-inspection.js';

/**
 * OpenID Connect RP-Initiated Logout 1.0 (§2, §3). Signs out at once when a valid
 * `id_token_hint` names the signed-in person; otherwise the person confirms on a page (a bare
 * link must not sign anyone out). Redirects only to a `post_logout_redirect_uri` registered for
 * the (enabled) client, with `state`; anything else ends on a signed-out page.
 */
export interface LogoutDeps {
  readonly verifyJwt: OwnJwtVerifier;
  readonly clients: Pick<ClientDirectory, 'findById'>;
  readonly sessions: SessionStore;
  readonly users: Pick<UserDirectory, 'findById'>;
  readonly refreshTokens: Pick<RefreshTokenRepository, 'revokeFamilies'>;
  readonly clock: Clock;
  readonly securityEvents?: Pick<SecurityEventSink, 'logout'>;
}

export interface LogoutRequest {
  readonly realm: Realm;
  readonly idTokenHint: string | undefined;
  readonly clientId: string | undefined;
  readonly postLogoutRedirectUri: string | undefined;
  readonly state: string | undefined;
  /** The realm's session cookie, as the browser sent it. */
  readonly sessionCookie: string | undefined;
  /** The confirmation form's fields; only a POST carries them. */
  readonly confirmation?: { readonly confirm: string | undefined; readonly csrfToken: string | undefined };
}

export type LogoutRefusal = 'unknown_id_token' | 'id_token_for_other_client' | 'unknown_client';

export type LogoutOutcome =
  | { readonly kind: 'invalid'; readonly reason: LogoutRefusal }
  | {
      readonly kind: 'confirm';
      readonly user: User;
      readonly csrfToken: string;
      /** Carried through the confirmation form. */
      readonly hidden: { client_id?: string; post_logout_redirect_uri?: string; state?: string };
      /** The validated return URI, if any (the page's form-action must allow its origin). */
      readonly returnTo: string | undefined;
    }
  /** Signed out (or was not signed in). `sessionEnded`: clear the session cookie. */
  | { readonly kind: 'signed_out'; readonly sessionEnded: boolean; readonly location: string | undefined };

/**
 * The sign-out confirmation's CSRF token, derived from the session cookie: only a page that
 * could read our HttpOnly cookie's derived value (our own page) can post it back.
 */
export function logoutCsrfToken(sessionCookie: string): string {
  return hashOpaqueSecret(`logout:${sessionCookie}`);
}

export async function logout(deps: LogoutDeps, input: LogoutRequest): Promise<LogoutOutcome> {
  const { realm } = input;
  const hint = input.idTokenHint
    ? await deps.verifyJwt(realm.tenantId, input.idTokenHint, {
        typ: 'JWT',
        issuer: realm.issuer,
        allowExpired: true,
        // Each client's ID Tokens are RS256 or ES256 (OIDC Dynamic Client Registration §2).
        algorithms: ID_TOKEN_SIGNING_ALGS,
      })
    : undefined;
  if (input.idTokenHint && !hint) return { kind: 'invalid', reason: 'unknown_id_token' };
  // §2: when both are sent, client_id must be the id_token_hint's audience.
  const hintClientId = typeof hint?.aud === 'string' ? hint.aud : undefined;
  if (input.clientId && hintClientId && input.clientId !== hintClientId)
    return { kind: 'invalid', reason: 'id_token_for_other_client' };
  const clientId = input.clientId ?? hintClientId;
  const client = clientId ? await deps.clients.findById(clientId) : undefined;
  if (clientId && (!client || client.tenantId !== realm.tenantId)) return { kind: 'invalid', reason: 'unknown_client' };
  // §3: only an exact, registered post_logout_redirect_uri of an enabled client; else no redirect.
  const returnTo =
    input.postLogoutRedirectUri &&
    client &&
    !client.disabled &&
    client.postLogoutRedirectUris.includes(input.postLogoutRedirectUri)
      ? input.postLogoutRedirectUri
      : undefined;

  const signedIn = await currentSignIn(deps, realm, input.sessionCookie);
  if (signedIn) {
    const hintNamesThisPerson = hint !== undefined && hint.sub === signedIn.user.id;
    // A live session means the cookie was sent.
    const expectedCsrf = logoutCsrfToken(input.sessionCookie!);
    const confirmed =
      input.confirmation?.confirm === 'yes' && constantTimeEqual(input.confirmation.csrfToken ?? '', expectedCsrf);
    if (!hintNamesThisPerson && !confirmed) {
      return {
        kind: 'confirm',
        user: signedIn.user,
        csrfToken: expectedCsrf,
        hidden: { client_id: clientId, post_logout_redirect_uri: returnTo, state: input.state },
        returnTo,
      };
    }
    await endSession(deps, signedIn.session);
    await deps.securityEvents?.logout(realm, signedIn.user);
  }
  return {
    kind: 'signed_out',
    sessionEnded: signedIn !== undefined,
    location: returnTo ? buildAuthorizationResponseUrl(returnTo, { state: input.state }) : undefined,
  };
}
