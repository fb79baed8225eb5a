import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  USER_ID,
  accessTokenClaims,
  createClock,
  createSigningKey,
  createTestRealm,
  failure,
  signAccessToken,
  unavailable,
  useFakeIssuer,
} from '../test/fake-issuer.js';
import { InvalidTokenError } from './errors.js';
import type { IntrospectionFetchLike } from './fetch-introspection.js';
import { createIntrospector, INTROSPECTION_DEFAULTS, type IntrospectionOptions } from './introspection.js';
import { createVerifier, type VerifierOptions } from './verify-access-token.js';

const API_CLIENT = { clientId: 'reports-api', clientSecret: 'api-secret-1' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

const server = useFakeIssuer();
const key = await createSigningKey('key-1');
let realms = 0;
/** An address where nothing listens: a server that was started and closed again. */
let deadOrigin: string;

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadOrigin = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
});

/** A fresh realm publishing `key` and serving introspection for API_CLIENT, with a verifier asking it. */
function setup(introspection: Partial<IntrospectionOptions> = {}, options: Partial<VerifierOptions> = {}) {
  const realm = createTestRealm(server, `INTRO${++realms}-U`, [key], {
    verifier: { introspection: { ...API_CLIENT, ...introspection }, ...options },
  });
  server.serveIntrospection(realm.issuer, API_CLIENT);
  return { ...realm, requests: () => server.introspectionRequests(realm.issuer) };
}

describe('introspection accepts', () => {
  it('an active token, after asking the issuer with client_secret_basic and the token', async () => {
    const { verifier, token, requests } = setup();
    const t = await token();
    await expect(verifier.verify(t)).resolves.toMatchObject({ sub: USER_ID });
    expect(requests()).toEqual([
      {
        authorization: basic('reports-api', 'api-secret-1'),
        contentType: 'application/x-www-form-urlencoded',
        form: { token: t, token_type_hint: 'access_token' },
      },
    ]);
  });

  it('credentials with reserved characters, form-urlencoded before base64 (RFC 6749 §2.3.1)', async () => {
    const client = { clientId: 'api:reports', clientSecret: 'p@ss word+%é:x' };
    const issuer = server.issuer(`INTRO${++realms}-U`);
    server.publish(issuer, [key]);
    server.serveIntrospection(issuer, client);
    const clock = createClock();
    const verifier = createVerifier({ issuer, audience: AUDIENCE, now: clock.now, introspection: client });

    await expect(
      verifier.verify(await signAccessToken(key, accessTokenClaims(issuer, clock.seconds()))),
    ).resolves.toMatchObject({
      issuer,
    });
    expect(server.introspectionRequests(issuer).map((r) => r.authorization)).toEqual([
      basic('api%3Areports', 'p%40ss+word%2B%25%C3%A9%3Ax'),
    ]);
  });

  it("each token at its own issuer's endpoint, from an endpoint function", async () => {
    const userIssuer = server.issuer(`MULTI${++realms}-U`);
    const customerIssuer = server.issuer(`MULTI${realms}-C`);
    for (const issuer of [userIssuer, customerIssuer]) {
      server.publish(issuer, [key]);
      server.serveIntrospection(issuer, API_CLIENT);
    }
    const clock = createClock();
    const endpoints: string[] = [];
    const verifier = createVerifier({
      issuers: [userIssuer, customerIssuer],
      audience: AUDIENCE,
      now: clock.now,
      introspection: {
        ...API_CLIENT,
        endpoint: (issuer) => {
          endpoints.push(issuer);
          return `${issuer}/oauth2/introspect`;
        },
      },
    });
    expect(endpoints).toEqual([userIssuer, customerIssuer]);

    const customerToken = await signAccessToken(key, {
      ...accessTokenClaims(customerIssuer, clock.seconds()),
      actor: 'customer',
    });
    await expect(verifier.verify(customerToken)).resolves.toMatchObject({ issuer: customerIssuer });
    expect([
      server.introspectionRequests(userIssuer).length,
      server.introspectionRequests(customerIssuer).length,
    ]).toEqual([0, 1]);
  });
});

describe('introspection rejects with invalid_token', () => {
  it('a token the issuer reports inactive, as revoked', async () => {
    const { issuer, verifier, token } = setup();
    const t = await token();
    server.revoke(t);
    const error = await failure(verifier.verify(t), InvalidTokenError);
    expect([error.code, error.status, error.message]).toEqual(['invalid_token', 401, 'The access token was revoked']);
    expect(error.detail).toBe(`introspection at ${issuer}/oauth2/introspect answered active: false (jti at-0001)`);
  });

  it('a token that expired within the clock tolerance and is inactive at the issuer, as expired', async () => {
    const { clock, verifier, token } = setup();
    const t = await token({ exp: clock.seconds() - 2 });
    server.revoke(t);
    const error = await failure(verifier.verify(t), InvalidTokenError);
    expect([error.code, error.status, error.message]).toEqual(['invalid_token', 401, 'The access token expired']);
  });

  it('at once by default (cacheSeconds 0): every verification asks', async () => {
    const { verifier, token, requests } = setup();
    const t = await token();
    await verifier.verify(t);
    await verifier.verify(t);
    server.revoke(t);
    await failure(verifier.verify(t), InvalidTokenError);
    expect(requests()).toHaveLength(3);
  });

  it('a revoked token that also lacks a required scope (401, not 403)', async () => {
    const { verifier, token } = setup();
    const t = await token();
    server.revoke(t);
    const error = await failure(verifier.verify(t, { requiredScopes: ['core.aiservices.write'] }), InvalidTokenError);
    expect(error.message).toBe('The access token was revoked');
  });

  it('without asking, when local verification already fails', async () => {
    const { clock, verifier, token, requests } = setup();
    await failure(verifier.verify(await token({ exp: clock.seconds() - 60 })), InvalidTokenError);
    await failure(verifier.verify(await token({ aud: 'https://other.example.test' })), InvalidTokenError);
    await failure(verifier.verify(await token({}).then((t) => `${t.slice(0, -4)}AAAA`)), InvalidTokenError);
    expect(requests()).toEqual([]);
  });
});

describe('introspection fails closed with temporarily_unavailable (503)', () => {
  it('when the endpoint is unreachable', async () => {
    const { verifier, token } = setup({ endpoint: `${deadOrigin}/oauth2/introspect` });
    const error = await unavailable(verifier.verify(await token()));
    expect(error.detail).toBe(`POST ${deadOrigin}/oauth2/introspect failed: TypeError: fetch failed`);
  });

  it("when the issuer refuses the API's credentials (401 invalid_client)", async () => {
    const { issuer, verifier, token } = setup({ clientSecret: 'wrong' });
    const error = await unavailable(verifier.verify(await token()));
    expect(error.detail).toBe(
      `POST ${issuer}/oauth2/introspect answered 401, expected 200 (invalid_client: check introspection.clientId and clientSecret)`,
    );
  });

  it('when the endpoint answers 500, and asks again on the next verification', async () => {
    const { issuer, verifier, token, requests } = setup();
    server.answerIntrospection(issuer, { status: 500, body: '{"error":"server_error"}' });
    const t = await token();
    expect((await unavailable(verifier.verify(t))).detail).toBe(
      `POST ${issuer}/oauth2/introspect answered 500, expected 200`,
    );
    server.serveIntrospection(issuer, API_CLIENT);
    await expect(verifier.verify(t)).resolves.toMatchObject({ sub: USER_ID });
    expect(requests()).toHaveLength(2);
  });

  it('when the answer is not JSON or has no boolean "active"', async () => {
    const { issuer, verifier, token } = setup();
    server.answerIntrospection(issuer, { status: 200, body: '<html>' });
    expect((await unavailable(verifier.verify(await token()))).detail).toMatch(
      new RegExp(`^POST ${issuer}/oauth2/introspect failed: SyntaxError: `),
    );
    server.answerIntrospection(issuer, { status: 200, body: '{"active":"false"}' });
    expect((await unavailable(verifier.verify(await token()))).detail).toBe(
      `POST ${issuer}/oauth2/introspect did not return an introspection response (no boolean "active")`,
    );
  });

  it('when the request exceeds timeoutSeconds, even with a fetch that ignores the signal', async () => {
    const signals: AbortSignal[] = [];
    const neverAnswers: IntrospectionFetchLike = (_url, init) => {
      signals.push(init.signal);
      return new Promise(() => undefined);
    };
    const { issuer, verifier, token } = setup({ fetch: neverAnswers, timeoutSeconds: 0.001 });
    const error = await unavailable(verifier.verify(await token()));
    expect(error.detail).toBe(`POST ${issuer}/oauth2/introspect failed: timed out after 1 ms`);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });
});

describe('introspection cache (cacheSeconds)', () => {
  it('reuses an answer for cacheSeconds, so a revocation inside the window is seen when it ends', async () => {
    const { clock, verifier, token, requests } = setup({ cacheSeconds: 60 });
    const t = await token();
    await verifier.verify(t);
    server.revoke(t);
    clock.advanceSeconds(59);
    await expect(verifier.verify(t)).resolves.toMatchObject({ sub: USER_ID });
    expect(requests()).toHaveLength(1);

    clock.advanceSeconds(1);
    await failure(verifier.verify(t), InvalidTokenError);
    expect(requests()).toHaveLength(2);
    // The inactive answer is cached too.
    await failure(verifier.verify(t), InvalidTokenError);
    expect(requests()).toHaveLength(2);
  });

  it("keeps an answer no longer than the token's exp", async () => {
    const { clock, verifier, token, requests } = setup({ cacheSeconds: 600 });
    const t = await token({ exp: clock.seconds() + 30 });
    await verifier.verify(t);
    clock.advanceSeconds(29);
    await verifier.verify(t);
    expect(requests()).toHaveLength(1);
    clock.advanceSeconds(2); // past exp, inside the 5 s clock tolerance
    await verifier.verify(t);
    expect(requests()).toHaveLength(2);
  });

  it('caches per token', async () => {
    const { verifier, token, requests } = setup({ cacheSeconds: 60 });
    await verifier.verify(await token({ jti: 'a' }));
    await verifier.verify(await token({ jti: 'b' }));
    expect(requests().map((r) => r.form.token)).toHaveLength(2);
  });

  it('shares one in-flight request between concurrent checks of one token', async () => {
    const { issuer, clock, verifier, token, requests } = setup({ cacheSeconds: 60 });
    const t = await token();
    const claims = await verifier.verify(t); // one request; the answer is cached
    const introspector = createIntrospector({ ...API_CLIENT, cacheSeconds: 60 }, [issuer], clock.now)!;

    // All five start in the same tick, before any answer can arrive.
    const checks = Array.from({ length: 5 }, () => introspector.assertActive(t, claims));
    await expect(Promise.all(checks)).resolves.toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(requests()).toHaveLength(2);
  });
});

describe('custom introspection fetch', () => {
  it('is called with POST, no redirects, form content, an accept header and an abort signal', async () => {
    const calls: Array<{
      url: string;
      method: string;
      redirect: string;
      headers: Record<string, string>;
      body: string;
    }> = [];
    const recording: IntrospectionFetchLike = (url, init) => {
      calls.push({ url, method: init.method, redirect: init.redirect, headers: init.headers, body: init.body });
      return fetch(url, init);
    };
    const { issuer, verifier, token } = setup({ fetch: recording });
    const t = await token();
    await verifier.verify(t);
    expect(calls).toEqual([
      {
        url: `${issuer}/oauth2/introspect`,
        method: 'POST',
        redirect: 'manual',
        headers: {
          authorization: basic('reports-api', 'api-secret-1'),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: `token=${t}&token_type_hint=access_token`,
      },
    ]);
  });
});

describe('createVerifier refuses bad introspection options at start-up', () => {
  const issuer = 'https://auth.example.test/system/auth/T-U';
  it.each([
    ['yes', 'introspection must be an object'],
    [{ clientSecret: 's' }, 'introspection.clientId must be a non-empty string'],
    [{ clientId: 'c', clientSecret: '' }, 'introspection.clientSecret must be a non-empty string'],
    [{ ...API_CLIENT, cacheSeconds: -1 }, 'introspection.cacheSeconds must be a finite number of seconds >= 0, got -1'],
    [
      { ...API_CLIENT, timeoutSeconds: 0 },
      'introspection.timeoutSeconds must be a finite number of seconds > 0, got 0',
    ],
    [
      { ...API_CLIENT, endpoint: '/introspect' },
      `introspection.endpoint for ${issuer} must be an absolute URL, got "/introspect"`,
    ],
    [{ ...API_CLIENT, endpoint: 42 }, 'introspection.endpoint must be a string or a function'],
    [{ ...API_CLIENT, fetch: 'https://proxy' }, 'introspection.fetch must be a function'],
  ])('%j', (introspection, message) => {
    expect(() => createVerifier({ issuer, audience: AUDIENCE, introspection } as VerifierOptions)).toThrow(
      new TypeError(message),
    );
  });

  it('an endpoint string with several issuers', () => {
    expect(() =>
      createVerifier({
        issuers: [issuer, `${issuer}2`],
        audience: AUDIENCE,
        introspection: { ...API_CLIENT, endpoint: 'https://auth.example.test/introspect' },
      }),
    ).toThrow(
      new TypeError(
        'introspection.endpoint as a string needs a single issuer; pass a function (issuer) => uri for several',
      ),
    );
  });

  it('documents its defaults: no cache, 5 s timeout', () => {
    expect(INTROSPECTION_DEFAULTS).toEqual({ cacheSeconds: 0, timeoutSeconds: 5 });
  });
});
