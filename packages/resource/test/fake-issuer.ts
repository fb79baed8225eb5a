// Test support: a real HTTP server publishing JWKS for Gatehouse-style realm issuers and serving
// their RFC 7662 introspection endpoints, ES256 keys made with jose, a signer for RFC 9068 access
// tokens, realms with a verifier reading them, and the checks the tests share. Not part of the build.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, expect } from 'vitest';
import { TemporarilyUnavailableError } from '../src/errors.js';
import { createJwksStore, type JwksStore, type JwksStoreOptions } from '../src/jwks-store.js';
import { createVerifier, type Verifier, type VerifierOptions } from '../src/verify-access-token.js';

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

/** What the introspection endpoint received. */
export interface IntrospectionRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
}

/** A confidential client allowed to introspect. */
export interface IntrospectionClient {
  clientId: string;
  clientSecret: string;
}

export interface FakeIssuerServer {
  /** `http://127.0.0.1:{port}`, known once the server listens. */
  readonly origin: string;
  /** `${origin}/system/auth/${realm}` */
  issuer(realm: string): string;
  /** Publishes these keys at `${issuer}/oauth2/jwks`. */
  publish(issuer: string, keys: readonly SigningKey[]): void;
  /** Answers the next requests for this issuer's JWKS with a canned reply instead. */
  answer(issuer: string, reply: Reply): void;
  /** How many requests hit `${issuer}/oauth2/jwks`. */
  requestCount(issuer: string): number;
  /**
   * Serves `POST ${issuer}/oauth2/introspect` like Gatehouse: client_secret_basic for `client` (else
   * 401 invalid_client), `{ active: false }` for a revoked token, else `{ active: true, …claims }`.
   */
  serveIntrospection(issuer: string, client: IntrospectionClient): void;
  /** Answers the next introspection requests for this issuer with a canned reply instead. */
  answerIntrospection(issuer: string, reply: Reply): void;
  /** Introspection reports this token inactive from now on. */
  revoke(token: string): void;
  /** Introspection requests received for this issuer, in order. */
  introspectionRequests(issuer: string): IntrospectionRequest[];
  /** Holds every JWKS response until the returned function is called. */
  hold(): () => void;
  /** Resolves once this many JWKS requests in total have arrived. */
  waitForRequests(total: number): Promise<void>;
}

/**
 * A fake issuer for the tests of the file (or of the describe block it is called in): it listens
 * before the first of them and closes after the last. Use it inside tests and hooks only; hooks
 * registered after this call run once it listens.
 */
export function useFakeIssuer(): FakeIssuerServer {
  const replies = new Map<string, Reply>();
  const counts = new Map<string, number>();
  let total = 0;
  const waiters: Array<{ total: number; resolve: () => void }> = [];
  let gate: Promise<void> | undefined;
  const introspectionClients = new Map<string, IntrospectionClient>();
  const introspectionLog = new Map<string, IntrospectionRequest[]>();
  const revoked = new Set<string>();

  /** RFC 6749 §2.3.1: base64 of the form-urlencoded client ID and secret joined by ":". */
  function readBasic(header: string | undefined): IntrospectionClient | undefined {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  }

  async function introspect(path: string, request: IncomingMessage): Promise<Reply> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const log = introspectionLog.get(path) ?? [];
    introspectionLog.set(path, log);
    log.push({ authorization: request.headers.authorization, contentType: request.headers['content-type'], form });
    const canned = replies.get(path);
    if (canned) return canned;
    const expected = introspectionClients.get(path);
    const presented = readBasic(request.headers.authorization);
    if (!expected || presented?.clientId !== expected.clientId || presented.clientSecret !== expected.clientSecret) {
      return {
        status: 401,
        body: '{"error":"invalid_client"}',
        headers: { 'www-authenticate': 'Basic realm="gatehouse"' },
      };
    }
    if (!form.token || revoked.has(form.token)) return { status: 200, body: '{"active":false}' };
    return { status: 200, body: JSON.stringify({ active: true, ...decodeJwt(form.token), token_type: 'Bearer' }) };
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    total += 1;
    for (const waiter of waiters.filter((w) => w.total <= total)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    void (gate ?? Promise.resolve())
      .then(() =>
        request.method === 'POST' && path.endsWith('/oauth2/introspect')
          ? introspect(path, request)
          : (replies.get(path) ?? { status: 404, body: '{"error":"not_found"}' }),
      )
      .catch(
        (err: unknown): Reply => ({
          status: 500,
          body: JSON.stringify({ error: 'server_error', error_description: String(err) }),
        }),
      )
      .then((reply) => {
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(reply.body);
      });
  });
  let listeningAt: string | undefined;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    listeningAt = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  );
  const origin = (): string => {
    if (listeningAt === undefined) throw new Error('the fake issuer listens only inside tests and hooks');
    return listeningAt;
  };
  const jwksPath = (issuer: string) => `${new URL(issuer).pathname}/oauth2/jwks`;
  const introspectionPath = (issuer: string) => `${new URL(issuer).pathname}/oauth2/introspect`;

  return {
    get origin() {
      return origin();
    },
    issuer: (realm) => `${origin()}/system/auth/${realm}`,
    publish(issuer, keys) {
      replies.set(jwksPath(issuer), { status: 200, body: JSON.stringify({ keys: keys.map((key) => key.publicJwk) }) });
    },
    answer(issuer, reply) {
      replies.set(jwksPath(issuer), reply);
    },
    requestCount: (issuer) => counts.get(jwksPath(issuer)) ?? 0,
    serveIntrospection(issuer, client) {
      introspectionClients.set(introspectionPath(issuer), client);
      replies.delete(introspectionPath(issuer));
    },
    answerIntrospection(issuer, reply) {
      replies.set(introspectionPath(issuer), reply);
    },
    revoke: (token) => void revoked.add(token),
    introspectionRequests: (issuer) => introspectionLog.get(introspectionPath(issuer)) ?? [],
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

export type TestClock = ReturnType<typeof createClock>;

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

/** A realm issuer publishing keys, with a verifier that reads them through a key store of its own. */
export interface TestRealm {
  readonly issuer: string;
  readonly clock: TestClock;
  readonly store: JwksStore;
  readonly verifier: Verifier;
  /** accessTokenClaims of this issuer, issued now by `clock`; `overrides` replace or (undefined) remove claims. */
  claims(overrides?: Record<string, unknown>): JWTPayload;
  /** `claims(overrides)` signed with the first of the realm's keys. */
  token(overrides?: Record<string, unknown>): Promise<string>;
}

/**
 * Publishes `keys` for realm `realm` of `server` and builds a verifier for its issuer and AUDIENCE
 * on a clock and a key store of its own (`options.clock` and `options.store` change them;
 * `options.verifier` adds to or replaces the verifier options).
 */
export function createTestRealm(
  server: FakeIssuerServer,
  realm: string,
  keys: readonly [SigningKey, ...SigningKey[]],
  options: { clock?: TestClock; store?: JwksStoreOptions; verifier?: Partial<VerifierOptions> } = {},
): TestRealm {
  const issuer = server.issuer(realm);
  server.publish(issuer, keys);
  const clock = options.clock ?? createClock();
  const store = createJwksStore({ now: clock.now, ...options.store });
  const verifier = createVerifier({
    issuer,
    audience: AUDIENCE,
    jwks: store,
    now: clock.now,
    ...options.verifier,
  } as VerifierOptions);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    ...accessTokenClaims(issuer, clock.seconds()),
    ...overrides,
  });
  return { issuer, clock, store, verifier, claims, token: (overrides) => signAccessToken(keys[0], claims(overrides)) };
}

/** The error `promise` rejects with, checked to be a `type`; fails the test if it fulfils. */
export async function failure<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => expect.unreachable('verification should have failed'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** `promise` rejects with temporarily_unavailable (503) and the message an API answers with. */
export async function unavailable(promise: Promise<unknown>): Promise<TemporarilyUnavailableError> {
  const error = await failure(promise, TemporarilyUnavailableError);
  expect([error.code, error.status, error.message]).toEqual([
    'temporarily_unavailable',
    503,
    'The access token cannot be verified at the moment',
  ]);
  return error;
}
