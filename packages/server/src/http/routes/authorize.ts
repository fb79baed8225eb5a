import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { startAuthorization } from '../../protocol/authorize/flow.js';
import { first, parseParameters } from '../../protocol/parameters.js';
import { readBrowserCookies, redirectSeeOther, setBrowserCookie } from '../browser-cookies.js';
import { renderMessagePage } from '../pages/message.js';
import { realmPageContext } from '../pages/page-context.js';
import { untrustedRequestText } from '../pages/untrusted-request.js';
import { signInFlowDeps } from '../ports.js';
import { resolveRealm } from '../realm.js';
import { sendPage } from '../pending.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * GET {issuer}/oauth2/authorize (RFC 6749 §4.1.1, OAuth 2.1 §4.1.1). The decisions are in
 * protocol/authorize/flow.ts; this renders them. Never sends CORS headers. Every answer but the
 * error page is a 303 without frame headers, so a `prompt=none` request from a hidden iframe gets
 * its redirect (OIDC Core §3.1.2.6), while the login and consent pages it could lead to refuse
 * to be framed.
 */
export function registerAuthorizeRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = signInFlowDeps(ctx);
  app.get('/system/auth/:realm/oauth2/authorize', { config: { html: true } }, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const parameters = parseParameters(request.raw.url?.split('?')[1] ?? '');
    const outcome = await startAuthorization(deps, { realm, parameters, cookies: readBrowserCookies(request) });
    switch (outcome.kind) {
      case 'untrusted_request': {
        const { error } = outcome;
        request.log.info({ reason: error.message }, 'authorization request refused without redirect');
        const pc = await realmPageContext(ctx, request, realm, tenant, first(parameters, 'ui_locales'));
        const text = untrustedRequestText(pc, error);
        return sendPage(reply, pc, 400, renderMessagePage(pc, text.title, text.message));
      }
      case 'show_login':
      case 'show_consent':
        if (outcome.browserCookie) setBrowserCookie(ctx, reply, realm, outcome.browserCookie);
        return redirectSeeOther(reply, outcome.location);
      default:
        return redirectSeeOther(reply, outcome.location);
    }
  });
  // GET only (OAuth 2.1 §4.1.1 requires GET support; the form-encoded POST OpenID Connect Core
  // §3.1.2.1 also allows is not offered): anything else is 405 with Allow (issue 12, found 4).
  methodNotAllowed(app, '/system/auth/:realm/oauth2/authorize', ['GET']);
}
