import type { FastifyReply, FastifyRequest } from 'fastify';
import { issueAuthorizationCode } from '../protocol/authorize/issue-code.js';
import { buildAuthorizationResponseUrl } from '../protocol/authorization-response-url.js';
import type { OAuthError } from '../protocol/errors.js';
import type { AuthorizationRequest, Realm, Session, User } from '../protocol/model.js';
import { hashOpaqueSecret } from '../protocol/secrets.js';
import type { AppContext } from '../context.js';
import { readCookie, serializeCookie } from './cookies.js';
import { cookiesSecure, realmCookiePath } from './realm.js';

/** Steps shared by the authorize, login and consent routes. */

const SESSION_COOKIE = 'gh_session';
const BROWSER_COOKIE = 'gh_browser';

/** The realm session named by the session cookie, if it is live and its user still enabled. */
export async function currentSession(
  ctx: AppContext,
  request: FastifyRequest,
  realm: Realm,
): Promise<{ session: Session; user: User } | undefined> {
  const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (!cookie) return undefined;
  const session = await ctx.repos.sessions.findActive(hashOpaqueSecret(cookie), realm.id, ctx.clock.nowSeconds());
  if (!session) return undefined;
  const user = await ctx.repos.users.findById(realm.tenantId, session.userId);
  if (!user || user.disabled || user.actor !== realm.actor) return undefined;
  return { session, user };
}

/**
 * Starts a new session after a successful sign-in. A fresh random id every time (never the
 * one the browser came with) so a planted cookie cannot become a signed-in session.
 */
export async function startSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  realm: Realm,
  user: User,
): Promise<Session> {
  const previous = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (previous) await ctx.repos.sessions.delete(hashOpaqueSecret(previous));
  const now = ctx.clock.nowSeconds();
  const id = ctx.random.token(32);
  const session = {
    realmId: realm.id,
    tenantId: realm.tenantId,
    userId: user.id,
    authTime: now,
    expiresAt: now + ctx.config.sessionTtlSeconds,
  };
  await ctx.repos.sessions.insert(hashOpaqueSecret(id), session, now);
  appendCookie(
    reply,
    serializeCookie(SESSION_COOKIE, id, {
      path: realmCookiePath(realm),
      secure: cookiesSecure(ctx),
      maxAgeSeconds: ctx.config.sessionTtlSeconds,
    }),
  );
  return { id: hashOpaqueSecret(id), ...session };
}

/**
 * The browser binding: a random cookie whose hash a pending authorization records, so its
 * login and consent forms only work in the browser that started the request (CSRF, RFC 9700 §4.7).
 */
export function browserBinding(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, realm: Realm): string {
  let value = readCookie(request.headers.cookie, BROWSER_COOKIE);
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    value = ctx.random.token(32);
    appendCookie(
      reply,
      serializeCookie(BROWSER_COOKIE, value, { path: realmCookiePath(realm), secure: cookiesSecure(ctx) }),
    );
  }
  return hashOpaqueSecret(value);
}

export function browserHashOf(request: FastifyRequest): string | undefined {
  const value = readCookie(request.headers.cookie, BROWSER_COOKIE);
  return value ? hashOpaqueSecret(value) : undefined;
}

function appendCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('Set-Cookie', [...list, cookie]);
}

/** Issues the code and sends the person back to the client (303 so the browser uses GET). */
export async function redirectWithCode(
  ctx: AppContext,
  reply: FastifyReply,
  realm: Realm,
  request: AuthorizationRequest,
  session: Session,
): Promise<FastifyReply> {
  const code = await issueAuthorizationCode(
    { codes: ctx.repos.codes, clock: ctx.clock, random: ctx.random, codeTtlSeconds: ctx.config.codeTtlSeconds },
    { realm, request, userId: session.userId, sessionId: session.id, authTime: session.authTime },
  );
  const location = buildAuthorizationResponseUrl(request.redirectUri, {
    code,
    state: request.state,
    iss: realm.issuer,
  });
  reply.header('Cache-Control', 'no-store');
  return reply.redirect(location, 303);
}

/** RFC 6749 §4.1.2.1 error response, with `iss` (RFC 9207) and the state echoed exactly. */
export function redirectWithError(
  reply: FastifyReply,
  realm: Realm,
  redirectUri: string,
  state: string | undefined,
  error: OAuthError,
): FastifyReply {
  const location = buildAuthorizationResponseUrl(redirectUri, {
    error: error.error,
    error_description: error.description,
    state,
    iss: realm.issuer,
  });
  reply.header('Cache-Control', 'no-store');
  return reply.redirect(location, 303);
}

/**
 * A CSRF token for the sign-out confirmation, derived from the session cookie: only a page that
 * could read our HttpOnly cookie's derived value (our own page) can post it back.
 */
export function sessionCsrfToken(request: FastifyRequest, purpose: string): string | undefined {
  const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
  return cookie ? hashOpaqueSecret(`${purpose}:${cookie}`) : undefined;
}

/** Ends the realm session: deletes it, clears the cookie and revokes its refresh tokens. */
export async function endSession(ctx: AppContext, reply: FastifyReply, realm: Realm, session: Session): Promise<void> {
  await ctx.repos.sessions.delete(session.id);
  await ctx.repos.refreshTokens.revokeFamilies({ sessionId: session.id }, ctx.clock.nowSeconds());
  appendCookie(
    reply,
    serializeCookie(SESSION_COOKIE, '', {
      path: realmCookiePath(realm),
      secure: cookiesSecure(ctx),
      maxAgeSeconds: 0,
    }),
  );
}
