import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import {
  changePassword,
  showAccount,
  signInToAccount,
  signOutEverywhere,
  withdrawConsent,
} from '../../protocol/account.js';
import { parseParameters, type RawParameters, single } from '../../protocol/parameters.js';
import {
  clearSessionCookie,
  readBrowserCookies,
  redirectSeeOther,
  setBrowserCookie,
  setSessionCookie,
} from '../browser-cookies.js';
import { ACCOUNT_NOTICES, type AccountNotice, renderAccountPage, renderAccountSignInPage } from '../pages/account.js';
import { type PageContext, realmPageContext } from '../pages/page-context.js';
import { sendMessage, sendPage } from '../pending.js';
import { accountDeps } from '../ports.js';
import { resolveRealm } from '../realm.js';

/**
 * {issuer}/account (issue 11): the person's own page of a realm; the rules are in
 * protocol/account.ts. Every POST answers 303 back to the page (Post/Redirect/Get) with a
 * `notice` naming what happened, or re-renders the page with an error.
 */
export function registerAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = accountDeps(ctx);
  const base = '/system/auth/:realm/account';

  async function context(request: FastifyRequest) {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const query = request.query as Record<string, unknown>;
    const uiLocales = typeof query.ui_locales === 'string' ? query.ui_locales : undefined;
    const pc = await realmPageContext(ctx, request, realm, tenant, uiLocales);
    const form =
      request.method === 'POST' ? parseParameters(typeof request.body === 'string' ? request.body : '') : new Map();
    return { realm, pc, form: form as RawParameters, cookies: readBrowserCookies(request) };
  }

  /** The page as GET shows it, with an optional notice or error (status for errors). */
  async function render(
    reply: FastifyReply,
    c: Awaited<ReturnType<typeof context>>,
    status: number,
    extra: { notice?: AccountNotice; error?: string; username?: string } = {},
  ) {
    const view = await showAccount(deps, { realm: c.realm, cookies: c.cookies });
    if (view.kind === 'sign_in') {
      if (view.browserCookie) setBrowserCookie(ctx, reply, c.realm, view.browserCookie);
      return sendPage(
        reply,
        c.pc,
        status,
        renderAccountSignInPage(c.pc, { issuer: c.realm.issuer, csrfToken: view.csrfToken, ...extra }),
      );
    }
    const page = renderAccountPage(c.pc, {
      issuer: c.realm.issuer,
      username: view.user.username,
      csrfToken: view.csrfToken,
      applications: view.applications,
      ...extra,
    });
    return sendPage(reply, c.pc, status, page);
  }

  const back = (reply: FastifyReply, issuer: string, notice?: AccountNotice) =>
    redirectSeeOther(reply, `${issuer}/account${notice ? `?notice=${notice}` : ''}`);
  const expired = (reply: FastifyReply, pc: PageContext) =>
    sendMessage(reply, pc, 403, 'account.title', 'account.form_expired');

  app.get(base, { config: { html: true } }, async (request, reply) => {
    const c = await context(request);
    const notice = (request.query as Record<string, unknown>).notice;
    const known = typeof notice === 'string' && Object.hasOwn(ACCOUNT_NOTICES, notice);
    return render(reply, c, 200, known ? { notice: notice as AccountNotice } : {});
  });

  app.post(`${base}/login`, { config: { html: true } }, async (request, reply) => {
    const c = await context(request);
    const username = single(c.form, 'username') ?? '';
    const outcome = await signInToAccount(deps, {
      realm: c.realm,
      cookies: c.cookies,
      csrfToken: single(c.form, 'csrf_token') ?? '',
      username,
      password: single(c.form, 'password') ?? '',
      clientAddress: request.ip,
    });
    switch (outcome.kind) {
      case 'form_expired':
        return expired(reply, c.pc);
      case 'throttled':
        reply.header('Retry-After', String(outcome.retryAfterSeconds));
        return render(reply, c, 429, { username, error: c.pc.t('login.throttled') });
      case 'invalid_credentials':
        return render(reply, c, 401, { username, error: c.pc.t('login.invalid_credentials') });
      case 'signed_in':
        setSessionCookie(ctx, reply, c.realm, outcome.sessionCookie);
        return back(reply, c.realm.issuer);
    }
  });

  app.post(`${base}/consents/withdraw`, { config: { html: true } }, async (request, reply) => {
    const c = await context(request);
    const outcome = await withdrawConsent(deps, {
      realm: c.realm,
      cookies: c.cookies,
      csrfToken: single(c.form, 'csrf_token') ?? '',
      clientId: single(c.form, 'client_id') ?? '',
    });
    if (outcome.kind === 'form_expired') return expired(reply, c.pc);
    return back(reply, c.realm.issuer, outcome.kind === 'withdrawn' ? 'withdrawn' : undefined);
  });

  app.post(`${base}/password`, { config: { html: true } }, async (request, reply) => {
    const c = await context(request);
    const outcome = await changePassword(deps, {
      realm: c.realm,
      cookies: c.cookies,
      csrfToken: single(c.form, 'csrf_token') ?? '',
      currentPassword: single(c.form, 'current_password') ?? '',
      newPassword: single(c.form, 'new_password') ?? '',
      clientAddress: request.ip,
    });
    const { t } = c.pc;
    switch (outcome.kind) {
      case 'not_signed_in':
        return back(reply, c.realm.issuer);
      case 'form_expired':
        return expired(reply, c.pc);
      case 'blank_password':
        return render(reply, c, 400, { error: t('account.password_blank') });
      case 'short_password':
        return render(reply, c, 400, { error: t('account.password_short', { min: String(deps.minPasswordLength) }) });
      case 'wrong_password':
        return render(reply, c, 400, { error: t('account.password_wrong') });
      case 'throttled':
        reply.header('Retry-After', String(outcome.retryAfterSeconds));
        return render(reply, c, 429, { error: t('login.throttled') });
      case 'changed':
        setSessionCookie(ctx, reply, c.realm, outcome.sessionCookie);
        return back(reply, c.realm.issuer, 'password_changed');
    }
  });

  app.post(`${base}/sign-out-everywhere`, { config: { html: true } }, async (request, reply) => {
    const c = await context(request);
    const outcome = await signOutEverywhere(deps, {
      realm: c.realm,
      cookies: c.cookies,
      csrfToken: single(c.form, 'csrf_token') ?? '',
    });
    if (outcome.kind === 'form_expired') return expired(reply, c.pc);
    if (outcome.kind === 'signed_out') clearSessionCookie(ctx, reply, c.realm);
    return back(reply, c.realm.issuer, outcome.kind === 'signed_out' ? 'signed_out_everywhere' : undefined);
  });
}
