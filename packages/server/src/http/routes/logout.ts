import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { type LogoutRefusal, logout } from '../../protocol/logout.js';
import { parseParameters, single } from '../../protocol/parameters.js';
import { clearSessionCookie, readBrowserCookies, redirectSeeOther } from '../browser-cookies.js';
import { renderLogoutConfirmPage, renderSignedOutPage } from '../pages/logout.js';
import { renderMessagePage } from '../pages/message.js';
import { sendPage } from '../pending.js';
import { logoutDeps } from '../ports.js';
import { realmLabel, resolveRealm } from '../realm.js';
import { originsOf } from '../../protocol/origins.js';

const REFUSALS: Readonly<Record<LogoutRefusal, string>> = {
  unknown_id_token: 'The sign-out request carries an ID token this server did not issue.',
  id_token_for_other_client: 'The ID token was issued to another application.',
  unknown_client: 'The application is not registered.',
};

/**
 * {issuer}/oauth2/logout — OpenID Connect RP-Initiated Logout 1.0; the rules are in
 * protocol/logout.ts. Ends the realm session and revokes the refresh tokens issued in it.
 */
export function registerLogoutRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = logoutDeps(ctx);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const label = realmLabel(realm, tenant);
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
        return sendPage(
          reply,
          400,
          renderMessagePage({
            realmLabel: label,
            title: 'Sign-out request not valid',
            message: REFUSALS[outcome.reason],
          }),
        );
      case 'confirm': {
        const page = renderLogoutConfirmPage({
          realmLabel: label,
          username: outcome.user.username,
          formAction: `${realm.issuer}/oauth2/logout`,
          csrfToken: outcome.csrfToken,
          hidden: outcome.hidden,
        });
        return sendPage(reply, 200, page, outcome.returnTo ? [...originsOf([outcome.returnTo])] : []);
      }
      case 'signed_out':
        if (outcome.sessionEnded) clearSessionCookie(ctx, reply, realm);
        if (outcome.location) return redirectSeeOther(reply, outcome.location);
        return sendPage(reply, 200, renderSignedOutPage(label));
    }
  };
  const pageRoute = { config: { html: true } };
  app.get('/system/auth/:realm/oauth2/logout', pageRoute, handler);
  app.post('/system/auth/:realm/oauth2/logout', pageRoute, handler);
}
