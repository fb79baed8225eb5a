import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseParameters, rejectRepeatedParameters, type RawParameters } from '../protocol/parameters.js';
import { authenticateClient, type ClientAuthenticationMethod } from '../protocol/client-authentication.js';
import { InvalidRequest } from '../protocol/errors.js';
import type { Client, Realm, Tenant } from '../protocol/model.js';
import type { AppContext } from '../context.js';
import { resolveRealm } from './realm.js';
import { originsOf } from '../protocol/origins.js';
import { allowRealmOriginOnError, registerPreflight } from './cors.js';
import { applyCors, setNoStore } from './security.js';
import { methodNotAllowed } from './routes/method-not-allowed.js';

export interface AuthenticatedFormRequest {
  readonly realm: Realm;
  readonly tenant: Tenant;
  readonly client: Client;
  readonly method: ClientAuthenticationMethod;
  readonly parameters: RawParameters;
}

function isFormEncoded(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Registers a client-authenticated, form-encoded POST endpoint under the realm (token,
 * revocation, introspection): content-type check, repeated-parameter check, client
 * authentication (RFC 6749 §2.3), CORS for the client's redirect origins (never with
 * credentials), no-store answers, a preflight route and 405 for other methods.
 */
export function registerFormEndpoint(
  app: FastifyInstance,
  ctx: AppContext,
  path: string,
  options: { uniqueParameters: readonly string[] },
  handle: (input: AuthenticatedFormRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  const url = `/system/auth/:realm${path}`;
  app.post(url, async (request, reply) => {
    const { realm, tenant } = await resolveRealm(ctx, request);
    const origin = request.headers.origin;
    try {
      if (!isFormEncoded(request)) throw new InvalidRequest('Content-Type must be application/x-www-form-urlencoded');
      const parameters = parseParameters(request.body as string);
      rejectRepeatedParameters(parameters, ['client_id', 'client_secret', ...options.uniqueParameters]);
      const { client, method } = await authenticateClient(
        {
          findClient: (id) => ctx.repos.clients.findById(id),
          verifySecret: ctx.passwords.verify,
          nowSeconds: () => ctx.clock.nowSeconds(),
        },
        realm,
        { authorizationHeader: request.headers.authorization, parameters },
      );
      if (origin) applyCors(reply, origin, originsOf(client.redirectUris));
      setNoStore(reply);
      return reply.send(await handle({ realm, tenant, client, method, parameters }, reply));
    } catch (error) {
      // Let a browser client read the error too, if it comes from one of the realm's client origins.
      await allowRealmOriginOnError(ctx, request, reply, realm);
      throw error;
    }
  });
  registerPreflight(app, ctx, url, { methods: 'POST', headers: 'Content-Type, Authorization, DPoP' });
  methodNotAllowed(app, url, ['POST', 'OPTIONS']);
}
