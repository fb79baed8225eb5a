import type { FastifyInstance } from 'fastify';
import { parseParameters, single } from '../../protocol/authorize/parameters.js';
import { decideNextStep } from '../../protocol/consent.js';
import { signIn } from '../../protocol/sign-in.js';
import { signInLimits } from '../../config.js';
import { redirectWithCode, startSession } from '../authorization-flow.js';
import type { AppContext } from '../context.js';
import { renderLoginPage } from '../pages/login.js';
import { renderMessagePage } from '../pages/message.js';
import { formTargetsFor, loadPending, sendLookupFailure, sendPage } from '../pending.js';
import { realmLabel, resolveRealm } from '../realm.js';

/** GET and POST {issuer}/login: the sign-in page of a pending authorization request. */
export function registerLoginRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/system/auth/:realm/login', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const requestId = (request.query as Record<string, unknown>).request;
    const lookup = await loadPending(ctx, request, realm, typeof requestId === 'string' ? requestId : undefined, null);
    if (!lookup.ok) return sendLookupFailure(reply, realm, tenant, lookup);
    const page = renderLoginPage({
      realmLabel: realmLabel(realm, tenant),
      clientName: lookup.client.name,
      formAction: `${realm.issuer}/login`,
      requestId: lookup.pending.id,
      csrfToken: lookup.pending.csrfToken,
    });
    return sendPage(reply, 200, page, formTargetsFor(lookup.pending));
  });

  app.post('/system/auth/:realm/login', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const form = parseParameters(typeof request.body === 'string' ? request.body : '');
    const lookup = await loadPending(ctx, request, realm, single(form, 'request'), single(form, 'csrf_token') ?? '');
    if (!lookup.ok) return sendLookupFailure(reply, realm, tenant, lookup);
    const { pending, client } = lookup;
    const username = single(form, 'username') ?? '';
    const password = single(form, 'password') ?? '';
    const label = realmLabel(realm, tenant);
    const formTargets = formTargetsFor(pending);
    const renderWithError = (error: string): string =>
      renderLoginPage({
        realmLabel: label,
        clientName: client.name,
        formAction: `${realm.issuer}/login`,
        requestId: pending.id,
        csrfToken: pending.csrfToken,
        username,
        error,
      });

    const result = await signIn(
      {
        findUser: (name) => ctx.repos.users.findByUsername(realm.tenantId, realm.actor, name),
        verifyPassword: ctx.passwords.verify,
        dummyPasswordHash: await ctx.dummyPasswordHash(),
        attempts: ctx.repos.loginFailures,
        clock: ctx.clock,
        limits: signInLimits(ctx.config),
      },
      realm,
      { username, password, clientAddress: request.ip },
    );
    if (!result.ok && result.reason === 'throttled') {
      reply.header('Retry-After', String(result.retryAfterSeconds));
      return sendPage(
        reply,
        429,
        renderWithError('Too many failed attempts. Wait a few minutes, then try again.'),
        formTargets,
      );
    }
    if (!result.ok) return sendPage(reply, 401, renderWithError('Incorrect username or password.'), formTargets);

    const session = await startSession(ctx, request, reply, realm, result.user);
    await ctx.repos.pendingAuthorizations.attachUser(pending.id, result.user.id);
    const step = decideNextStep({
      signedIn: true,
      client,
      requestedScopes: pending.scopes,
      grantedScopes: await ctx.repos.consents.grantedScopes(result.user.id, client.clientId),
    });
    if (step === 'consent')
      return reply.header('Cache-Control', 'no-store').redirect(`${realm.issuer}/consent?request=${pending.id}`, 303);
    if (!(await ctx.repos.pendingAuthorizations.complete(pending.id, ctx.clock.nowSeconds()))) {
      return sendPage(
        reply,
        400,
        renderMessagePage({
          realmLabel: label,
          title: 'Already signed in',
          message: 'This sign-in request was already completed.',
        }),
      );
    }
    return redirectWithCode(ctx, reply, realm, pending, session);
  });
}
