import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { countSignIn } from '../../observability/counting.js';
import { showLogin, submitLogin } from '../../protocol/authorize/interaction.js';
import { parseParameters, single } from '../../protocol/parameters.js';
import { readBrowserCookies, redirectSeeOther, setSessionCookie } from '../browser-cookies.js';
import { renderLoginPage } from '../pages/login.js';
import { renderMessagePage } from '../pages/message.js';
import { formTargetsFor, sendPage, sendRefusal } from '../pending.js';
import { signInFlowDeps } from '../ports.js';
import { realmLabel, resolveRealm } from '../realm.js';

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
    if (!lookup.ok) return sendRefusal(reply, realm, tenant, lookup.reason);
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
    const label = realmLabel(realm, tenant);
    switch (outcome.kind) {
      case 'pending_refused':
        return sendRefusal(reply, realm, tenant, outcome.reason);
      case 'throttled':
      case 'invalid_credentials': {
        const { pending, client } = outcome;
        const throttled = outcome.kind === 'throttled';
        if (throttled) reply.header('Retry-After', String(outcome.retryAfterSeconds));
        const page = renderLoginPage({
          realmLabel: label,
          clientName: client.name,
          formAction: `${realm.issuer}/login`,
          requestId: pending.id,
          csrfToken: pending.csrfToken,
          username,
          error: throttled
            ? 'Too many failed attempts. Wait a few minutes, then try again.'
            : 'Incorrect username or password.',
        });
        return sendPage(reply, throttled ? 429 : 401, page, formTargetsFor(pending));
      }
    }
    setSessionCookie(ctx, reply, realm, outcome.sessionCookie);
    if (outcome.kind === 'already_completed') {
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
    return redirectSeeOther(reply, outcome.location);
  });
}
