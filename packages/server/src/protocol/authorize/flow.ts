import { buildAuthorizationResponseUrl } from '../authorization-response-url.js';
import { decideNextStep } from '../consent.js';
import { type OAuthError, UntrustedRedirect } from '../errors.js';
import type { AuthorizationRequest, Client, PendingAuthorization, Realm, Session } from '../model.js';
import type { RawParameters } from '../parameters.js';
import type {
  AuthorizationCodeRepository,
  ClientDirectory,
  ConsentStore,
  PendingAuthorizationStore,
  ScopeCatalogue,
  SecurityEventSink,
  UserDirectory,
} from '../ports.js';
import { constantTimeEqual, hashOpaqueSecret } from '../secrets.js';
import { currentSignIn, type SessionDeps } from '../session.js';
import type { SignInDeps, SignInLimits } from '../sign-in.js';
import { issueAuthorizationCode } from './issue-code.js';
import { promptNoneError } from './prompt.js';
import { signInTooOld } from './sign-in-hints.js';
import { validateAuthorizationRequest } from './validate-request.js';

/**
 * The interactive sign-in as protocol logic: authorize -> (login) -> (consent) -> code. Each step
 * takes what the browser sent (parameters, form fields, cookie values) and returns an outcome the
 * route renders; storage, time and randomness arrive as ports. The routes keep only HTTP: reading
 * cookies, setting them, rendering pages and redirecting.
 */
export interface SignInFlowDeps extends SessionDeps {
  readonly pendingAuthorizations: PendingAuthorizationStore;
  readonly consents: ConsentStore;
  readonly users: UserDirectory;
  readonly clients: Pick<ClientDirectory, 'findById'>;
  readonly scopes: ScopeCatalogue;
  readonly codes: Pick<AuthorizationCodeRepository, 'insert'>;
  readonly loginFailures: SignInDeps['attempts'];
  readonly verifyPassword: SignInDeps['verifyPassword'];
  /** argon2id hash verified for unknown users, so sign-in timing does not reveal them. */
  readonly dummyPasswordHash: () => Promise<string>;
  readonly builtInScopes: ReadonlySet<string>;
  readonly codeTtlSeconds: number;
  readonly pendingAuthorizationTtlSeconds: number;
  readonly signInLimits: SignInLimits;
  readonly securityEvents?: SecurityEventSink;
}

/** The browser's cookies as the route read them (raw values; the flow hashes them). */
export interface BrowserCookies {
  readonly session: string | undefined;
  readonly browser: string | undefined;
}

/** A redirect back to the client: a code (RFC 6749 §4.1.2) or an error (§4.1.2.1). */
export type ClientRedirect =
  | { readonly kind: 'issue_code'; readonly location: string }
  | { readonly kind: 'redirect_error'; readonly location: string; readonly error: OAuthError };

/** Next page of the sign-in, for a request parked server-side under `pendingId`. */
export interface ShowStep {
  readonly kind: 'show_login' | 'show_consent';
  readonly location: string;
}

export type AuthorizeOutcome =
  /** Unknown client or redirect_uri: an error page for the person, never a redirect (RFC 6749 §4.1.2.1). */
  | { readonly kind: 'untrusted_request'; readonly error: UntrustedRedirect }
  | ClientRedirect
  /** `browserCookie` is set when the browser had no valid binding cookie yet. */
  | (ShowStep & { readonly browserCookie?: string });

const BROWSER_COOKIE_SYNTAX = /^[A-Za-z0-9_-]{43}$/;

/**
 * GET /oauth2/authorize: validates the request, then answers at once (signed in, consent on
 * record), or refuses without a page for `prompt=none` (OIDC Core §3.1.2.6), or parks the request
 * bound to this browser and sends the person to the login or consent page.
 */
export async function startAuthorization(
  deps: SignInFlowDeps,
  input: { realm: Realm; parameters: RawParameters; cookies: BrowserCookies },
): Promise<AuthorizeOutcome> {
  const { realm } = input;
  let result: Awaited<ReturnType<typeof validateAuthorizationRequest>>;
  try {
    result = await validateAuthorizationRequest({
      realm,
      parameters: input.parameters,
      findClient: (id) => deps.clients.findById(id),
      builtInScopes: deps.builtInScopes,
    });
  } catch (error) {
    if (error instanceof UntrustedRedirect) return { kind: 'untrusted_request', error };
    throw error;
  }
  if (!result.ok) return errorRedirect(realm, result.redirectUri, result.state, result.error);
  const { client, request, prompt, maxAge } = result;

  const signedIn = await currentSignIn(deps, realm, input.cookies.session);
  const tooOld = signedIn !== undefined && signInTooOld(maxAge, signedIn.session.authTime, deps.clock.nowSeconds());
  const grantedScopes = signedIn ? await deps.consents.grantedScopes(signedIn.user.id, client.clientId) : [];
  const step = decideNextStep({
    signedIn: signedIn !== undefined,
    client,
    requestedScopes: request.scopes,
    grantedScopes,
    forceLogin: prompt === 'login' || tooOld,
    forceConsent: prompt === 'consent',
  });
  if (step === 'issue_code' && signedIn) return codeRedirect(deps, realm, request, signedIn.session);
  const noPageAllowed = prompt === 'none' ? promptNoneError(step) : undefined;
  if (noPageAllowed) return errorRedirect(realm, request.redirectUri, request.state, noPageAllowed);

  const now = deps.clock.nowSeconds();
  const pendingId = deps.random.token(24);
  const existing = input.cookies.browser;
  const browserCookie = existing && BROWSER_COOKIE_SYNTAX.test(existing) ? undefined : deps.random.token(32);
  await deps.pendingAuthorizations.insert(
    {
      ...request,
      id: pendingId,
      realmId: realm.id,
      browserHash: hashOpaqueSecret(browserCookie ?? existing!),
      csrfToken: deps.random.token(24),
      userId: step === 'consent' ? (signedIn?.user.id ?? null) : null,
      createdAt: now,
      expiresAt: now + deps.pendingAuthorizationTtlSeconds,
    },
    realm.tenantId,
  );
  const shown =
    step === 'consent' ? stepPage(realm, 'show_consent', pendingId) : stepPage(realm, 'show_login', pendingId);
  return browserCookie ? { ...shown, browserCookie } : shown;
}

/** Why a login or consent page cannot continue with the pending request it names. */
export type PendingRefusal = 'expired' | 'other_browser' | 'form_expired' | 'unknown_client';

export type PendingLookup =
  | { readonly ok: true; readonly pending: PendingAuthorization; readonly client: Client }
  | { readonly ok: false; readonly reason: PendingRefusal };

/**
 * Finds the pending authorization a login or consent page works on and checks that this browser
 * started it (RFC 9700 §4.7: the binding cookie's hash) and, for form posts (`csrfToken` not
 * null), that the CSRF token is the one issued with it. The request's client, redirect_uri and
 * scopes come only from the server-side record, never from the form.
 */
export async function loadPendingAuthorization(
  deps: Pick<SignInFlowDeps, 'pendingAuthorizations' | 'clients' | 'clock'>,
  input: { realm: Realm; requestId: string | undefined; browserCookie: string | undefined; csrfToken: string | null },
): Promise<PendingLookup> {
  const pending = input.requestId
    ? await deps.pendingAuthorizations.findOpen(input.requestId, input.realm.id, deps.clock.nowSeconds())
    : undefined;
  if (!pending) return { ok: false, reason: 'expired' };
  const browserHash = input.browserCookie ? hashOpaqueSecret(input.browserCookie) : undefined;
  if (!browserHash || !constantTimeEqual(browserHash, pending.browserHash))
    return { ok: false, reason: 'other_browser' };
  if (input.csrfToken !== null && !constantTimeEqual(input.csrfToken, pending.csrfToken))
    return { ok: false, reason: 'form_expired' };
  const client = await deps.clients.findById(pending.clientId);
  if (!client) return { ok: false, reason: 'unknown_client' };
  return { ok: true, pending, client };
}

/** Issues the code (bound to the session) and builds the redirect carrying it, with `iss` (RFC 9207). */
export async function codeRedirect(
  deps: Pick<SignInFlowDeps, 'codes' | 'clock' | 'random' | 'codeTtlSeconds'>,
  realm: Realm,
  request: AuthorizationRequest,
  session: Session,
): Promise<ClientRedirect> {
  const code = await issueAuthorizationCode(
    { codes: deps.codes, clock: deps.clock, random: deps.random, codeTtlSeconds: deps.codeTtlSeconds },
    { realm, request, userId: session.userId, sessionId: session.id, authTime: session.authTime },
  );
  return {
    kind: 'issue_code',
    location: buildAuthorizationResponseUrl(request.redirectUri, { code, state: request.state, iss: realm.issuer }),
  };
}

/** RFC 6749 §4.1.2.1 error response, with `iss` (RFC 9207) and the state echoed exactly. */
export function errorRedirect(
  realm: Realm,
  redirectUri: string,
  state: string | undefined,
  error: OAuthError,
): ClientRedirect {
  const location = buildAuthorizationResponseUrl(redirectUri, {
    error: error.error,
    error_description: error.description,
    state,
    iss: realm.issuer,
  });
  return { kind: 'redirect_error', location, error };
}

export function stepPage(realm: Realm, kind: ShowStep['kind'], pendingId: string): ShowStep {
  return { kind, location: `${realm.issuer}/${kind === 'show_consent' ? 'consent' : 'login'}?request=${pendingId}` };
}
