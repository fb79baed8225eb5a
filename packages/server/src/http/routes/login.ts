import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { countSignIn } from '../../observability/counting.js';
import { showLogin, submitLogin } from '../../protocol/authorize/interaction.js';
import { cancelSignIn } from '../../protocol/authorize/leave-sign-in.js';
import { parseParameters, single } from '../../protocol/parameters.js';
import { readBrowserCookies, redirectSeeOther, setSessionCookie } from '../browser-cookies.js';
import { renderLoginPage } from '../pages/login.js';
import { realmPageContext } from '../pages/page-context.js';
import { formTargetsFor, sendMessage, sendPage, sendRefusal } from '../pending.js';
import { signInFlowDeps } from '../ports.js';
import { resolveRealm } from '../realm.js';

/** GET and POST {issuer}/login: the sign-in page of a pending authorization request. */
export function registerLoginRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = signInFlowDeps(ctx);
  app.get('/system/auth/:realm/login', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const requestId = (request.query as Record<string, unknown>).request;
    const lookup = await showLogin(deps, {
      realm,
      requestId: typeof requestId === 'string' ? requestId : undefined,
      cookies: readBrowserCookies(request),
    });
    const pc = await realmPageContext(ctx, request, realm, tenant, lookup.ok ? lookup.pending.uiLocales : undefined);
    if (!lookup.ok) return sendRefusal(reply, pc, lookup.reason);
    const page = renderLoginPage(pc, {
      clientName: lookup.client.name,
      formAction: `${realm.issuer}/login`,
      cancelAction: `${realm.issuer}/login/cancel`,
      requestId: lookup.pending.id,
      csrfToken: lookup.pending.csrfToken,
      username: lookup.pending.loginHint,
    });
    return sendPage(reply, pc, 200, page, formTargetsFor(lookup.pending));
  });

  app.post('/system/auth/:realm/login', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const form = parseParameters(typeof request.body === 'string' ? request.body : '');
    const username = single(form, 'username') ?? '';
    const outcome = await submitLogin(deps, {
      realm,
      requestId: single(form, 'request'),
      csrfToken: single(form, 'csrf_token') ?? '',
      cookies: readBrowserCookies(request),
      username,
      password: single(form, 'password') ?? '',
      // Throttling is keyed by it (protocol/sign-in.ts); behind --trust-proxy, from X-Forwarded-For.
      clientAddress: request.ip,
    });
    countSignIn(ctx.metrics, outcome.kind);
    const uiLocales = 'pending' in outcome ? outcome.pending.uiLocales : undefined;
    const pc = await realmPageContext(ctx, request, realm, tenant, uiLocales);
    switch (outcome.kind) {
      case 'pending_refused':
        return sendRefusal(reply, pc, outcome.reason);
      case 'throttled':
      case 'invalid_credentials': {
        const { pending, client } = outcome;
        const throttled = outcome.kind === 'throttled';
        if (throttled) reply.header('Retry-After', String(outcome.retryAfterSeconds));
        const page = renderLoginPage(pc, {
          clientName: client.name,
          formAction: `${realm.issuer}/login`,
          cancelAction: `${realm.issuer}/login/cancel`,
          requestId: pending.id,
          csrfToken: pending.csrfToken,
          username,
          error: pc.t(throttled ? 'login.throttled' : 'login.invalid_credentials'),
        });
        return sendPage(reply, pc, throttled ? 429 : 401, page, formTargetsFor(pending));
      }
    }
    setSessionCookie(ctx, reply, realm, outcome.sessionCookie);
    if (outcome.kind === 'already_completed')
      return sendMessage(reply, pc, 400, 'login.already_completed_title', 'login.already_completed');
    return redirectSeeOther(reply, outcome.location);
  });

  // Issue 11: "Back to the application" -> access_denied at the client, with state and iss.
  app.post('/system/auth/:realm/login/cancel', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const form = parseParameters(typeof request.body === 'string' ? request.body : '');
    const outcome = await cancelSignIn(deps, {
      realm,
      requestId: single(form, 'request'),
      csrfToken: single(form, 'csrf_token') ?? '',
      cookies: readBrowserCookies(request),
    });
    if (outcome.kind === 'redirect_error') return redirectSeeOther(reply, outcome.location);
    const pc = await realmPageContext(ctx, request, realm, tenant);
    if (outcome.kind === 'pending_refused') return sendRefusal(reply, pc, outcome.reason);
    return sendMessage(reply, pc, 400, 'consent.already_answered_title', 'consent.already_answered');
  });
}
