// Test support: a real HTTP server publishing JWKS for Gatehouse-style realm issuers, ES256 keys
// made with jose, and a signer for RFC 9068 access tokens. Not part of the build.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

type Reply = { status: number; body: string; headers?: Record<string, string> };

export interface FakeIssuerServer {
  readonly origin: string;
  /** `${origin}/system/auth/${realm}` */
  issuer(realm: string): string;
  /** Publishes these keys at `${issuer}/oauth2/jwks`. */
  publish(issuer: string, keys: readonly SigningKey[]): void;
  /** Answers the next requests for this issuer's JWKS with a canned reply instead. */
  answer(issuer: string, reply: Reply): void;
  /** How many requests hit `${issuer}/oauth2/jwks`. */
  requestCount(issuer: string): number;
  /** Holds every JWKS response until the returned function is called. */
  hold(): () => void;
  /** Resolves once this many JWKS requests in total have arrived. */
  waitForRequests(total: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeIssuer(): Promise<FakeIssuerServer> {
  const replies = new Map<string, Reply>();
  const counts = new Map<string, number>();
  let total = 0;
  const waiters: Array<{ total: number; resolve: () => void }> = [];
  let gate: Promise<void> | undefined;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    total += 1;
    for (const waiter of waiters.filter((w) => w.total <= total)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    void (gate ?? Promise.resolve()).then(() => {
      const reply = replies.get(path) ?? { status: 404, body: '{"error":"not_found"}' };
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jwksPath = (issuer: string) => `${new URL(issuer).pathname}/oauth2/jwks`;

  return {
    origin,
    issuer: (realm) => `${origin}/system/auth/${realm}`,
    publish(issuer, keys) {
      replies.set(jwksPath(issuer), { status: 200, body: JSON.stringify({ keys: keys.map((key) => key.publicJwk) }) });
    },
    answer(issuer, reply) {
      replies.set(jwksPath(issuer), reply);
    },
    requestCount: (issuer) => counts.get(jwksPath(issuer)) ?? 0,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    waitForRequests(expected) {
      if (total >= expected) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ total: expected, resolve }));
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A clock the tests move by hand; milliseconds since the epoch like Date.now. */
export function createClock(start = Date.UTC(2025, 5, 1, 12, 0, 0)) {
  let current = start;
  return {
    now: () => current,
    seconds: () => Math.floor(current / 1000),
    advanceSeconds(seconds: number) {
      current += seconds * 1000;
    },
  };
}

export const AUDIENCE = 'https://api.example.test';
export const TENANT = 'TMPRODB88619984';
export const USER_ID = '8d3c1f4e-2b7a-4c1e-9f0a-5e6d7c8b9a01';

/** Claims of a typical Gatehouse agent token issued at `iat`. */
export function accessTokenClaims(issuer: string, iat: number): JWTPayload {
  return {
    iss: issuer,
    sub: USER_ID,
    aud: AUDIENCE,
    client_id: 'spa-demo',
    scope: 'openid core.aiservices.read',
    iat,
    exp: iat + 300,
    jti: 'at-0001',
    tenant_id: TENANT,
    actor: 'user',
  };
}

/** Signs with ES256 and `typ: at+jwt` unless the header says otherwise; `undefined` removes a claim. */
export function signAccessToken(
  key: SigningKey,
  payload: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const claims = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined));
  const protectedHeader = Object.fromEntries(
    Object.entries({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header }).filter(([, value]) => value !== undefined),
  );
  return new SignJWT(claims).setProtectedHeader(protectedHeader as { alg: string }).sign(key.privateKey);
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
