import type { FastifyInstance } from 'fastify';
import { parseParameters, single } from '../../protocol/authorize/parameters.js';
import { BUILT_IN_SCOPE_DESCRIPTIONS } from '../../protocol/built-in-scopes.js';
import { AccessDenied } from '../../protocol/errors.js';
import { currentSession, redirectWithCode, redirectWithError } from '../authorization-flow.js';
import type { AppContext } from '../context.js';
import { renderConsentPage } from '../pages/consent.js';
import { renderMessagePage } from '../pages/message.js';
import { formTargetsFor, loadPending, sendLookupFailure, sendPage } from '../pending.js';
import { realmLabel, resolveRealm } from '../realm.js';

/** GET and POST {issuer}/consent: the person allows or denies the client's request. */
export function registerConsentRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/system/auth/:realm/consent', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const requestId = (request.query as Record<string, unknown>).request;
    const lookup = await loadPending(ctx, request, realm, typeof requestId === 'string' ? requestId : undefined, null);
    if (!lookup.ok) return sendLookupFailure(reply, realm, tenant, lookup);
    const { pending, client } = lookup;
    const signedIn = await currentSession(ctx, request, realm);
    // Consent belongs to the person who signed in for this request; anyone else signs in first.
    if (!signedIn || signedIn.user.id !== pending.userId) {
      return reply.header('Cache-Control', 'no-store').redirect(`${realm.issuer}/login?request=${pending.id}`, 303);
    }
    const catalogue = new Map(
      (await ctx.repos.tenants.listScopes(realm.tenantId)).map((scope) => [scope.name, scope.description]),
    );
    const page = renderConsentPage({
      realmLabel: realmLabel(realm, tenant),
      clientName: client.name,
      username: signedIn.user.username,
      scopes: pending.scopes.map((name) => ({
        name,
        description: catalogue.get(name) ?? BUILT_IN_SCOPE_DESCRIPTIONS[name] ?? name,
      })),
      formAction: `${realm.issuer}/consent`,
      requestId: pending.id,
      csrfToken: pending.csrfToken,
    });
    return sendPage(reply, 200, page, formTargetsFor(pending));
  });

  app.post('/system/auth/:realm/consent', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const form = parseParameters(typeof request.body === 'string' ? request.body : '');
    const lookup = await loadPending(ctx, request, realm, single(form, 'request'), single(form, 'csrf_token') ?? '');
    if (!lookup.ok) return sendLookupFailure(reply, realm, tenant, lookup);
    const { pending, client } = lookup;
    const label = realmLabel(realm, tenant);
    const signedIn = await currentSession(ctx, request, realm);
    if (!signedIn || signedIn.user.id !== pending.userId) {
      return sendPage(
        reply,
        403,
        renderMessagePage({
          realmLabel: label,
          title: 'Sign-in could not continue',
          message: 'Your session has ended. Go back to the application and sign in again.',
        }),
      );
    }
    const decision = single(form, 'decision');
    if (decision !== 'allow' && decision !== 'deny') {
      return sendPage(
        reply,
        400,
        renderMessagePage({ realmLabel: label, title: 'Invalid request', message: 'Choose Allow or Deny.' }),
      );
    }
    // One atomic close: a double-submitted form cannot yield two codes.
    if (!(await ctx.repos.pendingAuthorizations.complete(pending.id, ctx.clock.nowSeconds()))) {
      return sendPage(
        reply,
        400,
        renderMessagePage({
          realmLabel: label,
          title: 'Already answered',
          message: 'This request was already answered.',
        }),
      );
    }
    if (decision === 'deny') {
      return redirectWithError(
        reply,
        realm,
        pending.redirectUri,
        pending.state,
        new AccessDenied('the person denied the request'),
      );
    }
    await ctx.repos.consents.grant(
      {
        tenantId: realm.tenantId,
        realmId: realm.id,
        userId: signedIn.user.id,
        clientId: client.clientId,
        scopes: pending.scopes,
      },
      ctx.clock.nowSeconds(),
    );
    await ctx.securityEvents.consentGranted(realm, signedIn.user, client.clientId, pending.scopes);
    return redirectWithCode(ctx, reply, realm, pending, signedIn.session);
  });
}
