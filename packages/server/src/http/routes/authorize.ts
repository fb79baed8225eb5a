import type { FastifyInstance } from 'fastify';
import { parseParameters } from '../../protocol/parameters.js';
import { promptNoneError } from '../../protocol/authorize/prompt.js';
import { validateAuthorizationRequest } from '../../protocol/authorize/validate-request.js';
import { decideNextStep } from '../../protocol/consent.js';
import { UntrustedRedirect } from '../../protocol/errors.js';
import { BUILT_IN_SCOPES } from '../../protocol/built-in-scopes.js';
import { browserBinding, currentSession, redirectWithCode, redirectWithError } from '../authorization-flow.js';
import type { AppContext } from '../../context.js';
import { renderMessagePage } from '../pages/message.js';
import { realmLabel, resolveRealm } from '../realm.js';
import { setPageHeaders } from '../security.js';

/**
 * GET {issuer}/oauth2/authorize (RFC 6749 §4.1.1, OAuth 2.1 §4.1.1). Validates the request,
 * then either answers at once (signed in, consent on record) or parks the request server-side
 * and sends the person to the login or consent page. Never sends CORS headers.
 */
export function registerAuthorizeRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get('/system/auth/:realm/oauth2/authorize', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const rawQuery = request.raw.url?.split('?')[1] ?? '';
    const parameters = parseParameters(rawQuery);

    let result: Awaited<ReturnType<typeof validateAuthorizationRequest>>;
    try {
      result = await validateAuthorizationRequest({
        realm,
        parameters,
        findClient: (id) => ctx.repos.clients.findById(id),
        builtInScopes: BUILT_IN_SCOPES,
      });
    } catch (error) {
      if (!(error instanceof UntrustedRedirect)) throw error;
      request.log.info({ reason: error.message }, 'authorization request refused without redirect');
      setPageHeaders(reply);
      return reply
        .code(400)
        .send(renderMessagePage({ realmLabel: realmLabel(realm, tenant), title: error.title, message: error.message }));
    }
    if (!result.ok) return redirectWithError(reply, realm, result.redirectUri, result.state, result.error);
    const { client, request: authorization, prompt } = result;

    const signedIn = await currentSession(ctx, request, realm);
    const grantedScopes = signedIn ? await ctx.repos.consents.grantedScopes(signedIn.user.id, client.clientId) : [];
    const step = decideNextStep({
      signedIn: signedIn !== undefined,
      client,
      requestedScopes: authorization.scopes,
      grantedScopes,
      forceLogin: prompt === 'login',
      forceConsent: prompt === 'consent',
    });
    if (step === 'issue_code' && signedIn) return redirectWithCode(ctx, reply, realm, authorization, signedIn.session);
    const noPageAllowed = prompt === 'none' ? promptNoneError(step) : undefined;
    if (noPageAllowed)
      return redirectWithError(reply, realm, authorization.redirectUri, authorization.state, noPageAllowed);

    const now = ctx.clock.nowSeconds();
    const pendingId = ctx.random.token(24);
    await ctx.repos.pendingAuthorizations.insert(
      {
        ...authorization,
        id: pendingId,
        realmId: realm.id,
        browserHash: browserBinding(ctx, request, reply, realm),
        csrfToken: ctx.random.token(24),
        userId: step === 'consent' ? (signedIn?.user.id ?? null) : null,
        createdAt: now,
        expiresAt: now + ctx.config.pendingAuthorizationTtlSeconds,
      },
      realm.tenantId,
    );
    reply.header('Cache-Control', 'no-store');
    return reply.redirect(`${realm.issuer}/${step === 'consent' ? 'consent' : 'login'}?request=${pendingId}`, 303);
  });
}
