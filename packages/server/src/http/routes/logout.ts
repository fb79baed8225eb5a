import { ID_TOKEN_SIGNING_ALGS } from '../../protocol/model.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseParameters, single, type RawParameters } from '../../protocol/authorize/parameters.js';
import { buildAuthorizationResponseUrl } from '../../protocol/authorize/issue-code.js';
import { constantTimeEqual } from '../../protocol/secrets.js';
import { currentSession, endSession, sessionCsrfToken } from '../authorization-flow.js';
import type { AppContext } from '../context.js';
import { renderLogoutConfirmPage, renderSignedOutPage } from '../pages/logout.js';
import { renderMessagePage } from '../pages/message.js';
import { sendPage } from '../pending.js';
import { realmLabel, resolveRealm } from '../realm.js';
import { originsOf } from '../security.js';

/**
 * {issuer}/oauth2/logout — OpenID Connect RP-Initiated Logout 1.0. Ends the realm session and
 * revokes the refresh tokens issued in it. It signs out at once when a valid id_token_hint names
 * the signed-in person; otherwise the person confirms on a page (a bare link must not sign
 * anyone out). It redirects only to a post_logout_redirect_uri registered for the client, with
 * `state`; anything else ends on a signed-out page.
 */
export function registerLogoutRoute(app: FastifyInstance, ctx: AppContext): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const label = realmLabel(realm, tenant);
    const parameters: RawParameters =
      request.method === 'POST'
        ? parseParameters(typeof request.body === 'string' ? request.body : '')
        : parseParameters(request.raw.url?.split('?')[1] ?? '');
    const idTokenHint = single(parameters, 'id_token_hint');
    const requestedClientId = single(parameters, 'client_id');
    const postLogoutRedirectUri = single(parameters, 'post_logout_redirect_uri');
    const state = single(parameters, 'state');
    const fail = (message: string) =>
      sendPage(reply, 400, renderMessagePage({ realmLabel: label, title: 'Sign-out request not valid', message }));

    const hint = idTokenHint
      ? await ctx.keys.verify(realm.tenantId, idTokenHint, {
          typ: 'JWT',
          issuer: realm.issuer,
          allowExpired: true,
          algorithms: ID_TOKEN_SIGNING_ALGS,
        })
      : undefined;
    if (idTokenHint && !hint) return fail('The sign-out request carries an ID token this server did not issue.');
    const hintClientId = typeof hint?.aud === 'string' ? hint.aud : undefined;
    if (requestedClientId && hintClientId && requestedClientId !== hintClientId)
      return fail('The ID token was issued to another application.');
    const clientId = requestedClientId ?? hintClientId;
    const client = clientId ? await ctx.repos.clients.findById(clientId) : undefined;
    if (clientId && (!client || client.tenantId !== realm.tenantId)) return fail('The application is not registered.');
    const returnTo =
      postLogoutRedirectUri &&
      client &&
      !client.disabled &&
      client.postLogoutRedirectUris.includes(postLogoutRedirectUri)
        ? postLogoutRedirectUri
        : undefined;

    const signedIn = await currentSession(ctx, request, realm);
    if (signedIn) {
      const hintNamesThisPerson = hint !== undefined && hint.sub === signedIn.user.id;
      const expectedCsrf = sessionCsrfToken(request, 'logout');
      const confirmed =
        request.method === 'POST' &&
        single(parameters, 'confirm') === 'yes' &&
        expectedCsrf !== undefined &&
        constantTimeEqual(single(parameters, 'csrf_token') ?? '', expectedCsrf);
      if (!hintNamesThisPerson && !confirmed) {
        const page = renderLogoutConfirmPage({
          realmLabel: label,
          username: signedIn.user.username,
          formAction: `${realm.issuer}/oauth2/logout`,
          csrfToken: expectedCsrf!,
          hidden: { client_id: clientId, post_logout_redirect_uri: returnTo, state },
        });
        return sendPage(reply, 200, page, returnTo ? [...originsOf([returnTo])] : []);
      }
      await endSession(ctx, reply, realm, signedIn.session);
    }
    if (returnTo)
      return reply
        .header('Cache-Control', 'no-store')
        .redirect(buildAuthorizationResponseUrl(returnTo, { state }), 303);
    return sendPage(reply, 200, renderSignedOutPage(label));
  };
  app.get('/system/auth/:realm/oauth2/logout', { config: { html: true } }, handler);
  app.post('/system/auth/:realm/oauth2/logout', { config: { html: true } }, handler);
}
