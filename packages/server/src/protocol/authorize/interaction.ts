import { BUILT_IN_SCOPE_DESCRIPTIONS } from '../built-in-scopes.js';
import { decideNextStep } from '../consent.js';
import { AccessDenied } from '../errors.js';
import type { Client, PendingAuthorization, Realm, User } from '../model.js';
import { currentSignIn, startSession } from '../session.js';
import { signIn } from '../sign-in.js';
import {
  type BrowserCookies,
  type ClientRedirect,
  codeRedirect,
  errorRedirect,
  loadPendingAuthorization,
  type PendingLookup,
  type PendingRefusal,
  type ShowStep,
  type SignInFlowDeps,
  stepPage,
} from './flow.js';

/**
 * The login and consent steps of the sign-in flow (flow.ts): what their pages show and what
 * their form submissions lead to. Both forms work only on the server-side pending request, in
 * the browser that started it, with its CSRF token.
 */

/** Identifies the pending request a page works on, as the browser sent it. */
export interface PendingReference {
  readonly realm: Realm;
  readonly requestId: string | undefined;
  readonly cookies: BrowserCookies;
}

type Refused = { readonly kind: 'pending_refused'; readonly reason: PendingRefusal };

/** A form post also carries the CSRF token ('' when missing, which never matches). */
export interface FormSubmission extends PendingReference {
  readonly csrfToken: string;
}

/** GET /login: the pending request and its client, for the login page. */
export async function showLogin(deps: SignInFlowDeps, input: PendingReference): Promise<PendingLookup> {
  return loadPendingAuthorization(deps, { ...input, browserCookie: input.cookies.browser, csrfToken: null });
}

export type LoginOutcome =
  | Refused
  | {
      readonly kind: 'throttled' | 'invalid_credentials';
      readonly pending: PendingAuthorization;
      readonly client: Client;
      readonly retryAfterSeconds?: number;
    }
  /** Signed in: every outcome below started a session whose cookie the route sets. */
  | ((ShowStep | ClientRedirect | { readonly kind: 'already_completed' }) & { readonly sessionCookie: string });

/**
 * POST /login: checks the credentials (protocol/sign-in.ts), starts a fresh session, attaches
 * the person to the pending request, then asks for consent or closes the request (atomically,
 * so a double submit cannot yield two codes) and issues the code.
 */
export async function submitLogin(
  deps: SignInFlowDeps,
  input: FormSubmission & { username: string; password: string; clientAddress: string },
): Promise<LoginOutcome> {
  const { realm } = input;
  const lookup = await loadPendingAuthorization(deps, { ...input, browserCookie: input.cookies.browser });
  if (!lookup.ok) return { kind: 'pending_refused', reason: lookup.reason };
  const { pending, client } = lookup;
  const result = await signIn(
    {
      findUser: (name) => deps.users.findByUsername(realm.tenantId, realm.actor, name),
      verifyPassword: deps.verifyPassword,
      dummyPasswordHash: await deps.dummyPasswordHash(),
      attempts: deps.loginFailures,
      clock: deps.clock,
      limits: deps.signInLimits,
    },
    realm,
    { username: input.username, password: input.password, clientAddress: input.clientAddress },
  );
  await deps.securityEvents?.signIn(realm, input.username, result);
  if (!result.ok && result.reason === 'throttled')
    return { kind: 'throttled', pending, client, retryAfterSeconds: result.retryAfterSeconds };
  if (!result.ok) return { kind: 'invalid_credentials', pending, client };

  const { session, cookie } = await startSession(deps, realm, result.user, input.cookies.session);
  await deps.pendingAuthorizations.attachUser(pending.id, result.user.id);
  const step = decideNextStep({
    signedIn: true,
    client,
    requestedScopes: pending.scopes,
    grantedScopes: await deps.consents.grantedScopes(result.user.id, client.clientId),
  });
  if (step === 'consent') return { ...stepPage(realm, 'show_consent', pending.id), sessionCookie: cookie };
  if (!(await deps.pendingAuthorizations.complete(pending.id, deps.clock.nowSeconds())))
    return { kind: 'already_completed', sessionCookie: cookie };
  return { ...(await codeRedirect(deps, realm, pending, session)), sessionCookie: cookie };
}

export type ConsentPageOutcome =
  | Refused
  | ShowStep
  | {
      readonly kind: 'ask_consent';
      readonly pending: PendingAuthorization;
      readonly client: Client;
      readonly user: User;
      readonly scopes: readonly { name: string; description: string }[];
    };

/** GET /consent: what the person is asked to allow, with the tenant's words for each scope. */
export async function showConsent(deps: SignInFlowDeps, input: PendingReference): Promise<ConsentPageOutcome> {
  const lookup = await showLogin(deps, input);
  if (!lookup.ok) return { kind: 'pending_refused', reason: lookup.reason };
  const { pending, client } = lookup;
  const signedIn = await currentSignIn(deps, input.realm, input.cookies.session);
  // Consent belongs to the person who signed in for this request; anyone else signs in first.
  if (!signedIn || signedIn.user.id !== pending.userId) return stepPage(input.realm, 'show_login', pending.id);
  const catalogue = new Map(
    (await deps.scopes.listScopes(input.realm.tenantId)).map((scope) => [scope.name, scope.description]),
  );
  return {
    kind: 'ask_consent',
    pending,
    client,
    user: signedIn.user,
    scopes: pending.scopes.map((name) => ({
      name,
      description: catalogue.get(name) ?? BUILT_IN_SCOPE_DESCRIPTIONS[name] ?? name,
    })),
  };
}

export type ConsentOutcome =
  | Refused
  | { readonly kind: 'session_ended' | 'invalid_decision' | 'already_answered' }
  | ClientRedirect;

/**
 * POST /consent: `allow` records the grant and issues the code; `deny` answers access_denied
 * (RFC 6749 §4.1.2.1). Either way the pending request is closed first, atomically.
 */
export async function submitConsent(
  deps: SignInFlowDeps,
  input: FormSubmission & { decision: string | undefined },
): Promise<ConsentOutcome> {
  const { realm } = input;
  const lookup = await loadPendingAuthorization(deps, { ...input, browserCookie: input.cookies.browser });
  if (!lookup.ok) return { kind: 'pending_refused', reason: lookup.reason };
  const { pending, client } = lookup;
  const signedIn = await currentSignIn(deps, realm, input.cookies.session);
  if (!signedIn || signedIn.user.id !== pending.userId) return { kind: 'session_ended' };
  if (input.decision !== 'allow' && input.decision !== 'deny') return { kind: 'invalid_decision' };
  if (!(await deps.pendingAuthorizations.complete(pending.id, deps.clock.nowSeconds())))
    return { kind: 'already_answered' };
  if (input.decision === 'deny')
    return errorRedirect(realm, pending.redirectUri, pending.state, new AccessDenied('the person denied the request'));
  await deps.consents.grant(
    {
      tenantId: realm.tenantId,
      realmId: realm.id,
      userId: signedIn.user.id,
      clientId: client.clientId,
      scopes: pending.scopes,
    },
    deps.clock.nowSeconds(),
  );
  await deps.securityEvents?.consentGranted(realm, signedIn.user, client.clientId, pending.scopes);
  return codeRedirect(deps, realm, pending, signedIn.session);
}
