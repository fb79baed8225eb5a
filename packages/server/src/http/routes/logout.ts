import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { MessageKey } from '../../i18n/index.js';
import { type LogoutRefusal, logout } from '../../protocol/logout.js';
import { parseParameters, single } from '../../protocol/parameters.js';
import { clearSessionCookie, readBrowserCookies, redirectSeeOther } from '../browser-cookies.js';
import { renderLogoutConfirmPage, renderSignedOutPage } from '../pages/logout.js';
import { realmPageContext } from '../pages/page-context.js';
import { sendMessage, sendPage } from '../pending.js';
import { logoutDeps } from '../ports.js';
import { resolveRealm } from '../realm.js';
import { originsOf } from '../../protocol/origins.js';

const REFUSALS: Readonly<Record<LogoutRefusal, MessageKey>> = {
  unknown_id_token: 'logout.unknown_id_token',
  id_token_for_other_client: 'logout.id_token_for_other_client',
  unknown_client: 'logout.unknown_client',
};

/**
 * {issuer}/oauth2/logout — OpenID Connect RP-Initiated Logout 1.0; the rules are in
 * protocol/logout.ts. Ends the realm session and revokes the refresh tokens issued in it.
 */
export function registerLogoutRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = logoutDeps(ctx);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const pc = await realmPageContext(ctx, request, realm, tenant);
    const isPost = request.method === 'POST';
    const parameters = isPost
      ? parseParameters(typeof request.body === 'string' ? request.body : '')
      : parseParameters(request.raw.url?.split('?')[1] ?? '');
    const outcome = await logout(deps, {
      realm,
      idTokenHint: single(parameters, 'id_token_hint'),
      clientId: single(parameters, 'client_id'),
      postLogoutRedirectUri: single(parameters, 'post_logout_redirect_uri'),
      state: single(parameters, 'state'),
      sessionCookie: readBrowserCookies(request).session,
      ...(isPost
        ? { confirmation: { confirm: single(parameters, 'confirm'), csrfToken: single(parameters, 'csrf_token') } }
        : {}),
    });
    switch (outcome.kind) {
      case 'invalid':
        return sendMessage(reply, pc, 400, 'logout.invalid_title', REFUSALS[outcome.reason]);
      case 'confirm': {
        const page = renderLogoutConfirmPage(pc, {
          username: outcome.user.username,
          formAction: `${realm.issuer}/oauth2/logout`,
          csrfToken: outcome.csrfToken,
          hidden: outcome.hidden,
        });
        return sendPage(reply, pc, 200, page, outcome.returnTo ? [...originsOf([outcome.returnTo])] : []);
      }
      case 'signed_out':
        if (outcome.sessionEnded) clearSessionCookie(ctx, reply, realm);
        if (outcome.location) return redirectSeeOther(reply, outcome.location);
        return sendPage(reply, pc, 200, renderSignedOutPage(pc));
    }
  };
  const pageRoute = { config: { html: true } };
  app.get('/system/auth/:realm/oauth2/logout', pageRoute, handler);
  app.post('/system/auth/:realm/oauth2/logout', pageRoute, handler);
}
