import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiDemo } from '../src/app.js';
import { ApiDemoConfigError, loadApiDemoConfig } from '../src/config.js';

/**
 * The demo API through app.inject, with real ES256 tokens signed by jose and the keys served by a
 * real local endpoint laid out like Gatehouse's (`{issuer}/oauth2/jwks`, `{issuer}/oauth2/introspect`).
 */

const TENANT = 'TMPRODB88619984';
const AUDIENCE = 'http://localhost:8081';
const SPA_ORIGIN = 'http://localhost:5173';
const CLIENT_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';

let jwksServer: Server;
let gatehouseUrl: string;
let privateKey: CryptoKey;
let app: FastifyInstance;
const kid = 'test-key-1';
const INTROSPECTION_CLIENT = { id: '5e1f0b7a-9c3d-4e2f-8a1b-2c3d4e5f6a7b', secret: 'introspection-test-secret' };
/** jti values the stand-in introspection endpoint reports inactive. */
const revokedJtis = new Set<string>();
let introspectionRequests = 0;

/** RFC 7662 stand-in: active unless the token's jti was revoked; only our confidential client may ask. */
function answerIntrospection(body: string, authorization: string | undefined): { status: number; body: unknown } {
  introspectionRequests += 1;
  const expected = `Basic ${Buffer.from(`${INTROSPECTION_CLIENT.id}:${INTROSPECTION_CLIENT.secret}`).toString('base64')}`;
  if (authorization !== expected) return { status: 401, body: { error: 'invalid_client' } };
  const token = new URLSearchParams(body).get('token') ?? '';
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: string };
  return { status: 200, body: { active: !revokedJtis.has(payload.jti ?? '') } };
}

beforeAll(async () => {
  const keys = await generateKeyPair('ES256');
  privateKey = keys.privateKey;
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid, alg: 'ES256', use: 'sig' };
  jwksServer = createServer((request, response) => {
    if (request.method === 'POST' && request.url === `/system/auth/${TENANT}-U/oauth2/introspect`) {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        const answer = answerIntrospection(body, request.headers.authorization);
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
      return;
    }
    const known = [`/system/auth/${TENANT}-U/oauth2/jwks`, `/system/auth/${TENANT}-C/oauth2/jwks`].includes(
      request.url ?? '',
    );
    response.writeHead(known ? 200 : 404, { 'content-type': 'application/jwk-set+json' });
    response.end(known ? JSON.stringify({ keys: [publicJwk] }) : '{}');
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  gatehouseUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  app = buildApiDemo(loadApiDemoConfig({ API_DEMO_GATEHOUSE_URL: gatehouseUrl }), { logger: false });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

function issuer(actor: 'U' | 'C', tenant = TENANT): string {
  return `${gatehouseUrl}/system/auth/${tenant}-${actor}`;
}

/** A Gatehouse-shaped access token (RFC 9068). */
async function token(options: {
  scope: string;
  actor?: 'user' | 'customer';
  iss?: string;
  aud?: string;
  sub?: string;
  jti?: string;
}): Promise<string> {
  const actor = options.actor ?? 'user';
  return new SignJWT({ client_id: CLIENT_ID, scope: options.scope, tenant_id: TENANT, actor })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
    .setIssuer(options.iss ?? issuer(actor === 'user' ? 'U' : 'C'))
    .setSubject(options.sub ?? randomUUID())
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(options.jti ?? randomUUID())
    .sign(privateKey);
}

const READ_WRITE = 'core.aiservices.read core.aiservices.write';

describe('GET /v1/answers', () => {
  it('answers 200 with the caller of an agent token (realm -U) granting core.aiservices.read', async () => {
    const sub = randomUUID();
    const response = await app.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: 'core.aiservices.read', sub })}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().caller).toEqual({
      sub,
      actor: 'user',
      tenant: TENANT,
      clientId: CLIENT_ID,
      scopes: ['core.aiservices.read'],
    });
  });

  it('accepts a customer token from realm -C as well', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: READ_WRITE, actor: 'customer' })}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().caller.actor).toBe('customer');
  });

  it('answers 401 with a bare Bearer challenge when the request has no token', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/answers' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${AUDIENCE}"`);
  });

  it('answers 401 invalid_token for a token meant for another API (aud)', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: READ_WRITE, aud: 'http://localhost:9999' })}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_token');
  });

  it('answers 401 invalid_token for a token from another tenant’s realm', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: READ_WRITE, iss: issuer('U', 'OTHERTENANT1') })}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_token');
  });
});

describe('POST /v1/answers', () => {
  it('answers 403 insufficient_scope naming core.aiservices.write to a read-only token', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/answers',
      headers: {
        authorization: `Bearer ${await token({ scope: 'core.aiservices.read' })}`,
        'content-type': 'application/json',
      },
      payload: { question: 'Hello?' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token does not grant the required scope',
    });
    expect(response.headers['www-authenticate']).toContain('scope="core.aiservices.write"');
  });

  it('records the question with who asked (201), and GET lists it', async () => {
    const sub = randomUUID();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/answers',
      headers: {
        authorization: `Bearer ${await token({ scope: READ_WRITE, sub })}`,
        'content-type': 'application/json',
      },
      payload: { question: '  When do you open?  ' },
    });
    expect(response.statusCode).toBe(201);
    const { answer } = response.json();
    expect(answer).toMatchObject({ question: 'When do you open?', askedBy: { sub, actor: 'user' } });

    const list = await app.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: 'core.aiservices.read' })}` },
    });
    expect(list.json().answers).toContainEqual(answer);
  });

  it('answers 400 invalid_request when the question is missing', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: READ_WRITE })}`, 'content-type': 'application/json' },
      payload: {},
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });
});

describe('CORS', () => {
  it('answers the preflight of the SPA origin with the methods and the Authorization header', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/v1/answers',
      headers: {
        origin: SPA_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(SPA_ORIGIN);
    expect(response.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(response.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('grants nothing to another origin', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/v1/answers',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('lets the SPA read a refusal, WWW-Authenticate included', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/answers', headers: { origin: SPA_ORIGIN } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe(SPA_ORIGIN);
    expect(response.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
    expect(response.headers.vary).toBe('Origin');
  });
});

describe('with introspection (API_DEMO_INTROSPECTION_CLIENT_ID and _SECRET)', () => {
  let checked: FastifyInstance;

  beforeAll(async () => {
    checked = buildApiDemo(
      loadApiDemoConfig({
        API_DEMO_GATEHOUSE_URL: gatehouseUrl,
        API_DEMO_INTROSPECTION_CLIENT_ID: INTROSPECTION_CLIENT.id,
        API_DEMO_INTROSPECTION_CLIENT_SECRET: INTROSPECTION_CLIENT.secret,
      }),
      { logger: false },
    );
    await checked.ready();
  });

  afterAll(() => checked?.close());

  it('asks Gatehouse about the token and answers 200 while it is active', async () => {
    const before = introspectionRequests;
    const response = await checked.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: READ_WRITE })}` },
    });
    expect(response.statusCode).toBe(200);
    expect(introspectionRequests).toBe(before + 1);
  });

  it('refuses a revoked token with 401 invalid_token although its signature and expiry are fine', async () => {
    const jti = randomUUID();
    revokedJtis.add(jti);
    const response = await checked.inject({
      method: 'GET',
      url: '/v1/answers',
      headers: { authorization: `Bearer ${await token({ scope: READ_WRITE, jti })}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'invalid_token', error_description: 'The access token was revoked' });
  });
});

describe('loadApiDemoConfig', () => {
  it('defaults to the demo: realms -U and -C at http://localhost:8080, keys fetched over 127.0.0.1, audience http://localhost:8081', () => {
    const config = loadApiDemoConfig({});
    expect(config.issuers).toEqual([
      `http://localhost:8080/system/auth/${TENANT}-U`,
      `http://localhost:8080/system/auth/${TENANT}-C`,
    ]);
    expect(config.jwksUri(config.issuers[1]!)).toBe(`http://127.0.0.1:8080/system/auth/${TENANT}-C/oauth2/jwks`);
    expect(config.audience).toBe('http://localhost:8081');
    expect(config.corsOrigins).toEqual([SPA_ORIGIN]);
    expect({ host: config.host, port: config.port }).toEqual({ host: '127.0.0.1', port: 8081 });
    expect(config.introspection).toBeUndefined();
  });

  it('takes the port, audience and allowed origins from the environment', () => {
    const config = loadApiDemoConfig({
      API_DEMO_PORT: '9091',
      API_DEMO_CORS_ORIGINS: 'http://localhost:3000, https://app.example.com',
    });
    expect(config.audience).toBe('http://localhost:9091');
    expect(config.corsOrigins).toEqual(['http://localhost:3000', 'https://app.example.com']);
  });

  it('refuses a bad port, an origin with a path, or half the introspection credentials at start-up', () => {
    expect(() => loadApiDemoConfig({ API_DEMO_PORT: 'eighty' })).toThrow(ApiDemoConfigError);
    expect(() => loadApiDemoConfig({ API_DEMO_CORS_ORIGINS: 'http://localhost:5173/app' })).toThrow(ApiDemoConfigError);
    expect(() => loadApiDemoConfig({ API_DEMO_INTROSPECTION_CLIENT_ID: INTROSPECTION_CLIENT.id })).toThrow(
      ApiDemoConfigError,
    );
  });
});
