import { createHash } from 'node:crypto';
import type { Client, Realm, User } from './model.js';
import type {
  ClientDirectory,
  RefreshTokenRepository,
  SecurityEventSink,
  SessionStore,
  UserDirectory,
} from './ports.js';
import { constantTimeEqual } from './secrets.js';
import { currentSignIn, type SessionDeps, startSession } from './session.js';
import { type SignInDeps, type SignInLimits, signIn } from './sign-in.js';

/**
 * The person's own page of a realm, `{issuer}/account` (issue 11): the applications they allowed
 * (each can be withdrawn, which revokes that application's refresh tokens), a password change and
 * "sign out everywhere". Every form carries a CSRF token derived from a secret HttpOnly cookie
 * (the session cookie once signed in, the browser-binding cookie for the sign-in form), so a
 * cross-site page can neither read nor forge it (a keyed double-submit token).
 */
export interface AccountDeps extends SessionDeps {
  readonly sessions: SessionStore & { deleteByUser(userId: string): Promise<void> };
  readonly users: UserDirectory & {
    setPasswordHash(tenantId: string, id: string, passwordHash: string, now: number): Promise<void>;
  };
  readonly clients: Pick<ClientDirectory, 'findById'>;
  readonly consents: {
    listByUser(userId: string): Promise<readonly { clientId: string; scopes: readonly string[] }[]>;
    /** true when there was a grant to withdraw. */
    revoke(userId: string, clientId: string): Promise<boolean>;
  };
  readonly refreshTokens: Pick<RefreshTokenRepository, 'revokeFamilies'>;
  readonly loginFailures: SignInDeps['attempts'];
  readonly verifyPassword: SignInDeps['verifyPassword'];
  readonly hashPassword: (password: string) => Promise<string>;
  readonly dummyPasswordHash: () => Promise<string>;
  readonly signInLimits: SignInLimits;
  readonly minPasswordLength: number;
  /** The audit trail's sign-in and logout events (issue 9), as the login page records them. */
  readonly securityEvents?: Pick<SecurityEventSink, 'signIn' | 'logout' | 'consentWithdrawn'>;
}

export interface AccountCookies {
  readonly session: string | undefined;
  readonly browser: string | undefined;
}

/** The CSRF token of the account forms, bound to a secret cookie of this browser. */
export function accountCsrfToken(cookie: string): string {
  return createHash('sha256').update(`gatehouse account form\0${cookie}`, 'utf8').digest('base64url');
}

function csrfMatches(cookie: string | undefined, token: string): boolean {
  return cookie !== undefined && constantTimeEqual(token, accountCsrfToken(cookie));
}

export interface ConsentedApplication {
  readonly client: Client;
  readonly scopes: readonly string[];
}

export type AccountView =
  /** Not signed in: the sign-in form, bound to the browser cookie (new when `browserCookie` is set). */
  | { readonly kind: 'sign_in'; readonly csrfToken: string; readonly browserCookie?: string }
  | {
      readonly kind: 'account';
      readonly user: User;
      readonly csrfToken: string;
      readonly applications: readonly ConsentedApplication[];
    };

const BROWSER_COOKIE_SYNTAX = /^[A-Za-z0-9_-]{43}$/;

/** GET /account: the person's applications, or the sign-in form. */
export async function showAccount(
  deps: AccountDeps,
  input: { realm: Realm; cookies: AccountCookies },
): Promise<AccountView> {
  const signedIn = await currentSignIn(deps, input.realm, input.cookies.session);
  if (!signedIn) {
    const existing = input.cookies.browser;
    if (existing && BROWSER_COOKIE_SYNTAX.test(existing))
      return { kind: 'sign_in', csrfToken: accountCsrfToken(existing) };
    const browserCookie = deps.random.token(32);
    return { kind: 'sign_in', csrfToken: accountCsrfToken(browserCookie), browserCookie };
  }
  const applications: ConsentedApplication[] = [];
  for (const consent of await deps.consents.listByUser(signedIn.user.id)) {
    const client = await deps.clients.findById(consent.clientId);
    if (client && client.tenantId === input.realm.tenantId) applications.push({ client, scopes: consent.scopes });
  }
  return {
    kind: 'account',
    user: signedIn.user,
    csrfToken: accountCsrfToken(input.cookies.session!),
    applications,
  };
}

export type AccountSignInOutcome =
  | { readonly kind: 'form_expired' }
  | { readonly kind: 'invalid_credentials' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }
  | { readonly kind: 'signed_in'; readonly sessionCookie: string };

/** POST /account/login: the same credential check and throttling as the login page. */
export async function signInToAccount(
  deps: AccountDeps,
  input: {
    realm: Realm;
    cookies: AccountCookies;
    csrfToken: string;
    username: string;
    password: string;
    clientAddress: string;
  },
): Promise<AccountSignInOutcome> {
  if (!csrfMatches(input.cookies.browser, input.csrfToken)) return { kind: 'form_expired' };
  const result = await checkCredentials(deps, input.realm, input.username, input.password, input.clientAddress);
  await deps.securityEvents?.signIn(input.realm, input.username, result);
  if (!result.ok && result.reason === 'throttled')
    return { kind: 'throttled', retryAfterSeconds: result.retryAfterSeconds ?? 60 };
  if (!result.ok) return { kind: 'invalid_credentials' };
  const { cookie } = await startSession(deps, input.realm, result.user, input.cookies.session);
  return { kind: 'signed_in', sessionCookie: cookie };
}

type Guard = { readonly kind: 'not_signed_in' | 'form_expired' };

/** Every signed-in form: a live session and the token derived from its cookie. */
async function signedInForm(deps: AccountDeps, input: { realm: Realm; cookies: AccountCookies; csrfToken: string }) {
  const signedIn = await currentSignIn(deps, input.realm, input.cookies.session);
  if (!signedIn) return { kind: 'not_signed_in' } as const;
  if (!csrfMatches(input.cookies.session, input.csrfToken)) return { kind: 'form_expired' } as const;
  return { kind: 'ok', ...signedIn } as const;
}

/**
 * POST /account/consents/withdraw: forgets the grant and revokes the refresh-token families (and
 * their live access tokens) the person's grant to that application was the basis of.
 */
export async function withdrawConsent(
  deps: AccountDeps,
  input: { realm: Realm; cookies: AccountCookies; csrfToken: string; clientId: string },
): Promise<Guard | { readonly kind: 'withdrawn' }> {
  const form = await signedInForm(deps, input);
  if (form.kind !== 'ok') return form;
  const withdrawn = await deps.consents.revoke(form.user.id, input.clientId);
  await deps.refreshTokens.revokeFamilies({ userId: form.user.id, clientId: input.clientId }, deps.clock.nowSeconds());
  if (withdrawn) await deps.securityEvents?.consentWithdrawn(input.realm, form.user, input.clientId);
  return { kind: 'withdrawn' };
}

export type PasswordChangeOutcome =
  | Guard
  | { readonly kind: 'wrong_password' | 'blank_password' | 'short_password' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }
  | { readonly kind: 'changed'; readonly sessionCookie: string };

/**
 * POST /account/password: the current password is checked like a sign-in (throttled); the new one
 * may not be blank. As with an operator's reset, every session and refresh-token family of the
 * person ends; this browser gets a fresh session so the person stays on their page.
 */
export async function changePassword(
  deps: AccountDeps,
  input: {
    realm: Realm;
    cookies: AccountCookies;
    csrfToken: string;
    currentPassword: string;
    newPassword: string;
    clientAddress: string;
  },
): Promise<PasswordChangeOutcome> {
  const form = await signedInForm(deps, input);
  if (form.kind !== 'ok') return form;
  if (input.newPassword.trim() === '') return { kind: 'blank_password' };
  if (input.newPassword.length < deps.minPasswordLength) return { kind: 'short_password' };
  const check = await checkCredentials(
    deps,
    input.realm,
    form.user.username,
    input.currentPassword,
    input.clientAddress,
  );
  if (!check.ok && check.reason === 'throttled')
    return { kind: 'throttled', retryAfterSeconds: check.retryAfterSeconds ?? 60 };
  if (!check.ok || check.user.id !== form.user.id) return { kind: 'wrong_password' };
  const now = deps.clock.nowSeconds();
  await deps.users.setPasswordHash(form.user.tenantId, form.user.id, await deps.hashPassword(input.newPassword), now);
  await deps.sessions.deleteByUser(form.user.id);
  await deps.refreshTokens.revokeFamilies({ userId: form.user.id }, now);
  const { cookie } = await startSession(deps, input.realm, form.user, undefined);
  return { kind: 'changed', sessionCookie: cookie };
}

/** POST /account/sign-out-everywhere: every session of the person and every refresh token issued to them. */
export async function signOutEverywhere(
  deps: AccountDeps,
  input: { realm: Realm; cookies: AccountCookies; csrfToken: string },
): Promise<Guard | { readonly kind: 'signed_out' }> {
  const form = await signedInForm(deps, input);
  if (form.kind !== 'ok') return form;
  await deps.sessions.deleteByUser(form.user.id);
  await deps.refreshTokens.revokeFamilies({ userId: form.user.id }, deps.clock.nowSeconds());
  await deps.securityEvents?.logout(input.realm, form.user);
  return { kind: 'signed_out' };
}

async function checkCredentials(
  deps: AccountDeps,
  realm: Realm,
  username: string,
  password: string,
  clientAddress: string,
) {
  return signIn(
    {
      findUser: (name) => deps.users.findByUsername(realm.tenantId, realm.actor, name),
      verifyPassword: deps.verifyPassword,
      dummyPasswordHash: await deps.dummyPasswordHash(),
      attempts: deps.loginFailures,
      clock: deps.clock,
      limits: deps.signInLimits,
    },
    realm,
    { username, password, clientAddress },
  );
}
