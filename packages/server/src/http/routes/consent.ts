import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { CATALOGUES, type MessageKey } from '../../i18n/index.js';
import { BUILT_IN_SCOPE_DESCRIPTIONS } from '../../protocol/built-in-scopes.js';
import { showConsent, submitConsent } from '../../protocol/authorize/interaction.js';
import { switchAccount } from '../../protocol/authorize/leave-sign-in.js';
import { parseParameters, single } from '../../protocol/parameters.js';
import { clearSessionCookie, readBrowserCookies, redirectSeeOther } from '../browser-cookies.js';
import { renderConsentPage } from '../pages/consent.js';
import { type PageContext, realmPageContext } from '../pages/page-context.js';
import { formTargetsFor, sendMessage, sendPage, sendRefusal } from '../pending.js';
import { signInFlowDeps, switchAccountDeps } from '../ports.js';
import { resolveRealm } from '../realm.js';

/**
 * The OpenID scopes' words come from the page's catalogue; a tenant's own scopes keep the
 * description the tenant wrote (one language, the tenant's).
 */
function builtInScopeText(pc: PageContext, scope: { name: string; description: string }): string {
  const key = `scope.${scope.name}`;
  const builtIn = BUILT_IN_SCOPE_DESCRIPTIONS[scope.name] === scope.description;
  return builtIn && Object.hasOwn(CATALOGUES.en, key) ? pc.t(key as MessageKey) : scope.description;
}

/** GET and POST {issuer}/consent: the person allows or denies the client's request. */
export function registerConsentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = signInFlowDeps(ctx);
  const switchDeps = switchAccountDeps(ctx);
  app.get('/system/auth/:realm/consent', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const requestId = (request.query as Record<string, unknown>).request;
    const outcome = await showConsent(deps, {
      realm,
      requestId: typeof requestId === 'string' ? requestId : undefined,
      cookies: readBrowserCookies(request),
    });
    if (outcome.kind !== 'ask_consent' && outcome.kind !== 'pending_refused')
      return redirectSeeOther(reply, outcome.location);
    const uiLocales = outcome.kind === 'ask_consent' ? outcome.pending.uiLocales : undefined;
    const pc = await realmPageContext(ctx, request, realm, tenant, uiLocales);
    if (outcome.kind === 'pending_refused') return sendRefusal(reply, pc, outcome.reason);
    const page = renderConsentPage(pc, {
      clientName: outcome.client.name,
      username: outcome.user.username,
      scopes: outcome.scopes.map((scope) => ({ ...scope, description: builtInScopeText(pc, scope) })),
      formAction: `${realm.issuer}/consent`,
      switchAccountAction: `${realm.issuer}/consent/switch-account`,
      accountUrl: `${realm.issuer}/account`,
      requestId: outcome.pending.id,
      csrfToken: outcome.pending.csrfToken,
    });
    return sendPage(reply, pc, 200, page, formTargetsFor(outcome.pending));
  });

  app.post('/system/auth/:realm/consent', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const form = parseParameters(typeof request.body === 'string' ? request.body : '');
    const outcome = await submitConsent(deps, {
      realm,
      requestId: single(form, 'request'),
      csrfToken: single(form, 'csrf_token') ?? '',
      cookies: readBrowserCookies(request),
      decision: single(form, 'decision'),
    });
    if (outcome.kind === 'issue_code' || outcome.kind === 'redirect_error')
      return redirectSeeOther(reply, outcome.location);
    const pc = await realmPageContext(ctx, request, realm, tenant);
    switch (outcome.kind) {
      case 'pending_refused':
        return sendRefusal(reply, pc, outcome.reason);
      case 'session_ended':
        return sendMessage(reply, pc, 403, 'consent.session_ended_title', 'consent.session_ended');
      case 'invalid_decision':
        return sendMessage(reply, pc, 400, 'consent.invalid_decision_title', 'consent.invalid_decision');
      case 'already_answered':
        return sendMessage(reply, pc, 400, 'consent.already_answered_title', 'consent.already_answered');
    }
  });

  // Issue 11: "Not you?" signs out of the realm and shows the login page again for this request.
  app.post('/system/auth/:realm/consent/switch-account', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const form = parseParameters(typeof request.body === 'string' ? request.body : '');
    const outcome = await switchAccount(switchDeps, {
      realm,
      requestId: single(form, 'request'),
      csrfToken: single(form, 'csrf_token') ?? '',
      cookies: readBrowserCookies(request),
    });
    if (outcome.kind === 'pending_refused')
      return sendRefusal(reply, await realmPageContext(ctx, request, realm, tenant), outcome.reason);
    if (outcome.sessionEnded) clearSessionCookie(ctx, reply, realm);
    return redirectSeeOther(reply, outcome.location);
  });
}
