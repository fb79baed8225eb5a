import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Realm } from '../protocol/model.js';
import type { BrowserCookies } from '../protocol/authorize/flow.js';
import { readCookie, serializeCookie } from './cookies.js';
import { cookiesSecure, realmCookiePath } from './realm.js';

/**
 * The sign-in cookies of a realm: `gh_session` (the session, by its random id) and `gh_browser`
 * (the browser binding of pending requests, RFC 9700 §4.7). Both are HttpOnly, SameSite=Lax and
 * scoped to the realm's path; the protocol flow decides their values, this file only moves them.
 */
const SESSION_COOKIE = 'gh_session';
const BROWSER_COOKIE = 'gh_browser';

export function readBrowserCookies(request: FastifyRequest): BrowserCookies {
  return {
    session: readCookie(request.headers.cookie, SESSION_COOKIE),
    browser: readCookie(request.headers.cookie, BROWSER_COOKIE),
  };
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, realm: Realm, value: string): void {
  appendCookie(
    reply,
    serializeCookie(SESSION_COOKIE, value, {
      path: realmCookiePath(realm),
      secure: cookiesSecure(ctx),
      maxAgeSeconds: ctx.config.sessionTtlSeconds,
    }),
  );
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply, realm: Realm): void {
  appendCookie(
    reply,
    serializeCookie(SESSION_COOKIE, '', { path: realmCookiePath(realm), secure: cookiesSecure(ctx), maxAgeSeconds: 0 }),
  );
}

export function setBrowserCookie(ctx: AppContext, reply: FastifyReply, realm: Realm, value: string): void {
  appendCookie(
    reply,
    serializeCookie(BROWSER_COOKIE, value, { path: realmCookiePath(realm), secure: cookiesSecure(ctx) }),
  );
}

function appendCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('Set-Cookie', [...list, cookie]);
}

/** Every redirect of the sign-in flow: 303 so the browser follows with GET, never cached. */
export function redirectSeeOther(reply: FastifyReply, location: string): FastifyReply {
  reply.header('Cache-Control', 'no-store');
  return reply.redirect(location, 303);
}
