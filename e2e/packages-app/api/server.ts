import { gatehouseAuth } from '@gatehouse/resource';
import Fastify from 'fastify';

// The realm's issuer, the tenant's Domain URL (the tokens' audience) and the SPA's origin.
const issuer = process.env.GATEHOUSE_ISSUER ?? 'http://127.0.0.1:8080/system/auth/TMPRODB88619984-U';
const audience = process.env.API_AUDIENCE ?? 'http://127.0.0.1:8081';
const spaOrigin = process.env.SPA_ORIGIN ?? 'http://127.0.0.1:5173';
const port = Number(process.env.PORT ?? 8081);

// Checks typ at+jwt, the signature against the realm's published keys, iss, aud, expiry, scopes.
const auth = gatehouseAuth({ issuers: [issuer], audience });

const app = Fastify({ logger: { level: 'warn', redact: ['req.headers.authorization'] } });

// CORS: the Authorization header makes every call from the SPA send a preflight first.
app.addHook('onRequest', async (request, reply) => {
  reply.header('Vary', 'Origin');
  if (request.headers.origin === spaOrigin) {
    reply.header('Access-Control-Allow-Origin', spaOrigin);
    reply.header('Access-Control-Expose-Headers', 'WWW-Authenticate');
  }
});
app.options('/*', async (_request, reply) => {
  reply.header('Access-Control-Allow-Methods', 'GET');
  reply.header('Access-Control-Allow-Headers', 'Authorization');
  return reply.code(204).send();
});

app.get('/healthz', async () => ({ status: 'ok' }));

// 401 without a valid token, 403 without the scope; otherwise request.gatehouse holds the claims.
app.get('/v1/hello', { preHandler: auth.requireScopes('core.aiservices.read') }, async (request) => {
  const { sub, scopes } = request.gatehouse!;
  return { hello: sub, scopes };
});

await app.listen({ host: '127.0.0.1', port });
