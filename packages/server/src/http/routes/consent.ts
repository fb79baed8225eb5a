import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { showConsent, submitConsent } from '../../protocol/authorize/interaction.js';
import { parseParameters, single } from '../../protocol/parameters.js';
import { readBrowserCookies, redirectSeeOther } from '../browser-cookies.js';
import { renderConsentPage } from '../pages/consent.js';
import { renderMessagePage } from '../pages/message.js';
import { formTargetsFor, sendPage, sendRefusal } from '../pending.js';
import { signInFlowDeps } from '../ports.js';
import { realmLabel, resolveRealm } from '../realm.js';

/** GET and POST {issuer}/consent: the person allows or denies the client's request. */
export function registerConsentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = signInFlowDeps(ctx);
  app.get('/system/auth/:realm/consent', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const requestId = (request.query as Record<string, unknown>).request;
    const outcome = await showConsent(deps, {
      realm,
      requestId: typeof requestId === 'string' ? requestId : undefined,
      cookies: readBrowserCookies(request),
    });
    if (outcome.kind === 'pending_refused') return sendRefusal(reply, realm, tenant, outcome.reason);
    if (outcome.kind !== 'ask_consent') return redirectSeeOther(reply, outcome.location);
    const page = renderConsentPage({
      realmLabel: realmLabel(realm, tenant),
      clientName: outcome.client.name,
      username: outcome.user.username,
      scopes: outcome.scopes,
      formAction: `${realm.issuer}/consent`,
      requestId: outcome.pending.id,
      csrfToken: outcome.pending.csrfToken,
    });
    return sendPage(reply, 200, page, formTargetsFor(outcome.pending));
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
    const message = (status: number, title: string, text: string) =>
      sendPage(reply, status, renderMessagePage({ realmLabel: realmLabel(realm, tenant), title, message: text }));
    switch (outcome.kind) {
      case 'pending_refused':
        return sendRefusal(reply, realm, tenant, outcome.reason);
      case 'session_ended':
        return message(
          403,
          'Sign-in could not continue',
          'Your session has ended. Go back to the application and sign in again.',
        );
      case 'invalid_decision':
        return message(400, 'Invalid request', 'Choose Allow or Deny.');
      case 'already_answered':
        return message(400, 'Already answered', 'This request was already answered.');
      default:
        return redirectSeeOther(reply, outcome.location);
    }
  });
}
