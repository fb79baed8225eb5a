import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { InvalidRequest, InvalidToken } from '../../protocol/errors.js';
import { originsOf } from '../../protocol/origins.js';
import { parseParameters, single } from '../../protocol/parameters.js';
import { readUserInfo } from '../../protocol/userinfo.js';
import { allowRealmOriginOnError, registerPreflight } from '../cors.js';
import { sendBearerError } from '../error-mapper.js';
import { userInfoDeps } from '../ports.js';
import { resolveRealm } from '../realm.js';
import { applyCors, setNoStore } from '../security.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * The bearer token of the request (RFC 6750 §2.1 header or §2.2 form body, never the query
 * string); undefined when none was sent. Two at once is invalid_request (§2).
 */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header) : null;
  if (header && /^Bearer/i.test(header) && !match) throw new InvalidToken('malformed Authorization header');
  const form = typeof request.body === 'string' ? single(parseParameters(request.body), 'access_token') : undefined;
  if (match && form !== undefined) throw new InvalidRequest('send the access token once');
  return match?.[1] ?? form;
}

/** GET and POST {issuer}/oauth2/userinfo (OIDC Core §5.3) with an access token that has `openid`. */
export function registerUserInfoRoute(app: FastifyInstance, ctx: AppContext): void {
  const deps = userInfoDeps(ctx);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { realm } = await resolveRealm(ctx, request);
    setNoStore(reply);
    // Browser clients must be able to read the RFC 6750 challenge to tell an expired token apart.
    reply.header('Access-Control-Expose-Headers', 'WWW-Authenticate');
    let failure: unknown;
    try {
      const token = bearerToken(request);
      if (token === undefined) return sendBearerError(reply, request, realm.issuer, undefined);
      const answer = await readUserInfo(deps, realm, token);
      if (answer.client) applyCors(reply, request.headers.origin, originsOf(answer.client.redirectUris));
      if (answer.ok) return reply.send(answer.claims);
      failure = answer.error;
    } catch (error) {
      failure = error;
    }
    await allowRealmOriginOnError(ctx, request, reply, realm);
    return sendBearerError(reply, request, realm.issuer, failure);
  };
  const url = '/system/auth/:realm/oauth2/userinfo';
  app.get(url, handler);
  app.post(url, handler);
  registerPreflight(app, ctx, url, { methods: 'GET, POST', headers: 'Authorization, Content-Type' });
  methodNotAllowed(app, url, ['GET', 'POST', 'OPTIONS']);
}
