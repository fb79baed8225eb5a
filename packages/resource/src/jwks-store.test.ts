import { describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  createSigningKey,
  createTestRealm,
  signAccessToken,
  unavailable,
  useFakeIssuer,
  type SigningKey,
} from '../test/fake-issuer.js';
import { InvalidTokenError } from './errors.js';
import type { FetchLike } from './fetch-jwks.js';
import { createJwksStore, JWKS_STORE_DEFAULTS, type JwksStoreOptions } from './jwks-store.js';
import { createVerifier } from './verify-access-token.js';

const server = useFakeIssuer();
const [key1, key2] = await Promise.all([createSigningKey('key-1'), createSigningKey('key-2')]);
let realms = 0;

function setup(storeOptions: JwksStoreOptions = {}) {
  const realm = createTestRealm(server, `STORE${++realms}-U`, [key1], { store: storeOptions });
  const token = (key: SigningKey, header: Record<string, unknown> = {}) => signAccessToken(key, realm.claims(), header);
  return { ...realm, token };
}

describe('JWKS cache', () => {
  it('fetches the key set once and reuses it for later tokens', async () => {
    const { issuer, verifier, token } = setup();
    await verifier.verify(await token(key1));
    await verifier.verify(await token(key1));
    await verifier.verify(await token(key1));
    expect(server.requestCount(issuer)).toBe(1);
  });

  it('refetches once for an unknown kid after the cooldown, then not again within the cooldown', async () => {
    const { issuer, clock, verifier, token } = setup();
    await verifier.verify(await token(key1));
    clock.advanceSeconds(JWKS_STORE_DEFAULTS.cooldownSeconds);

    const unknown = await token(key2);
    const first = await verifier.verify(unknown).catch((err: unknown) => err);
    expect(first).toBeInstanceOf(InvalidTokenError);
    expect((first as InvalidTokenError).message).toBe('The access token is signed with an unknown key');
    expect(server.requestCount(issuer)).toBe(2);

    clock.advanceSeconds(JWKS_STORE_DEFAULTS.cooldownSeconds - 1);
    await expect(verifier.verify(unknown)).rejects.toThrow('The access token is signed with an unknown key');
    await expect(verifier.verify(await token(key2, { kid: 'made-up' }))).rejects.toThrow(InvalidTokenError);
    expect(server.requestCount(issuer)).toBe(2);

    clock.advanceSeconds(1);
    await expect(verifier.verify(unknown)).rejects.toThrow(InvalidTokenError);
    expect(server.requestCount(issuer)).toBe(3);
  });

  it('does not refetch for an unknown kid right after the first fetch (cooldown counts from it)', async () => {
    const { issuer, verifier, token } = setup();
    await verifier.verify(await token(key1));
    await expect(verifier.verify(await token(key2))).rejects.toThrow('The access token is signed with an unknown key');
    expect(server.requestCount(issuer)).toBe(1);
  });

  it('picks up a rotated key once the cooldown allows a refetch', async () => {
    const { issuer, clock, verifier, token } = setup();
    await verifier.verify(await token(key1));
    server.publish(issuer, [key1, key2]);
    clock.advanceSeconds(31);
    await expect(verifier.verify(await token(key2))).resolves.toMatchObject({ issuer });
    await expect(verifier.verify(await token(key1))).resolves.toMatchObject({ issuer });
    expect(server.requestCount(issuer)).toBe(2);
  });

  it('refetches a key set older than cacheMaxAgeSeconds and stops trusting a retired key', async () => {
    const { issuer, clock, verifier, token } = setup({ cacheMaxAgeSeconds: 120 });
    const old = await token(key1);
    await verifier.verify(old);
    server.publish(issuer, [key2]);
    clock.advanceSeconds(119);
    await expect(verifier.verify(await token(key1))).resolves.toMatchObject({ issuer });
    expect(server.requestCount(issuer)).toBe(1);

    clock.advanceSeconds(1);
    await expect(verifier.verify(await token(key1))).rejects.toThrow('The access token is signed with an unknown key');
    await expect(verifier.verify(await token(key2))).resolves.toMatchObject({ issuer });
    expect(server.requestCount(issuer)).toBe(2);
  });

  it('shares one in-flight request between concurrent verifications', async () => {
    const { issuer, verifier, token } = setup();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => token(key1)));
    const release = server.hold();
    const verifications = tokens.map((t) => verifier.verify(t));
    await server.waitForRequests(1);
    release();
    await expect(Promise.all(verifications)).resolves.toHaveLength(10);
    expect(server.requestCount(issuer)).toBe(1);
  });

  it('shares one refetch between concurrent tokens signed with a newly rotated key', async () => {
    const { issuer, clock, verifier, token } = setup();
    await verifier.verify(await token(key1));
    server.publish(issuer, [key1, key2]);
    clock.advanceSeconds(30);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => token(key2)));
    const release = server.hold();
    const verifications = tokens.map((t) => verifier.verify(t));
    await server.waitForRequests(1);
    release();
    await expect(Promise.all(verifications)).resolves.toHaveLength(10);
    expect(server.requestCount(issuer)).toBe(2);
  });

  it('is shared by two verifiers built on the same store', async () => {
    const { issuer, clock, store, verifier, token } = setup();
    const other = createVerifier({ issuer, audience: AUDIENCE, jwks: store, now: clock.now });
    await verifier.verify(await token(key1));
    await other.verify(await token(key1));
    expect(server.requestCount(issuer)).toBe(1);
  });
});

describe('JWKS fetch failures answer temporarily_unavailable', () => {
  it('when the key set endpoint answers 500, and retries on the next request', async () => {
    const { issuer, verifier, token } = setup();
    server.answer(issuer, { status: 500, body: '{}' });
    const error = await unavailable(verifier.verify(await token(key1)));
    expect(error.detail).toBe(`GET ${issuer}/oauth2/jwks answered 500, expected 200`);
    server.publish(issuer, [key1]);
    await expect(verifier.verify(await token(key1))).resolves.toMatchObject({ issuer });
    expect(server.requestCount(issuer)).toBe(2);
  });

  it('when the key set endpoint redirects (redirects are not followed)', async () => {
    const { issuer, verifier, token } = setup();
    server.answer(issuer, { status: 302, body: '', headers: { location: 'https://evil.example.test/jwks' } });
    const error = await unavailable(verifier.verify(await token(key1)));
    expect(error.detail).toBe(`GET ${issuer}/oauth2/jwks answered 302, expected 200`);
  });

  it('when the body is not JSON or not a key set', async () => {
    const { issuer, verifier, token } = setup();
    server.answer(issuer, { status: 200, body: '<html>' });
    expect((await unavailable(verifier.verify(await token(key1)))).detail).toMatch(
      new RegExp(`^GET ${issuer}/oauth2/jwks failed: SyntaxError: `),
    );
    server.answer(issuer, { status: 200, body: '{"keys":"none"}' });
    expect((await unavailable(verifier.verify(await token(key1)))).detail).toBe(
      `GET ${issuer}/oauth2/jwks did not return a JSON Web Key Set`,
    );
  });

  it('when the request exceeds timeoutSeconds, even with a fetch that ignores the signal', async () => {
    const signals: AbortSignal[] = [];
    const neverAnswers: FetchLike = (_url, init) => {
      signals.push(init.signal);
      return new Promise(() => undefined);
    };
    const { issuer, verifier, token } = setup({ fetch: neverAnswers, timeoutSeconds: 0.001 });
    const error = await unavailable(verifier.verify(await token(key1)));
    expect(error.detail).toBe(`GET ${issuer}/oauth2/jwks failed: timed out after 1 ms`);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('when the network fails', async () => {
    const refused: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    const { issuer, verifier, token } = setup({ fetch: refused });
    const error = await unavailable(verifier.verify(await token(key1)));
    expect(error.detail).toBe(`GET ${issuer}/oauth2/jwks failed: TypeError: fetch failed`);
  });
});

describe('custom fetch', () => {
  it('is called with GET, no redirects, an accept header and an abort signal', async () => {
    const calls: Array<{ url: string; method: string; redirect: string; headers: Record<string, string> }> = [];
    const recording: FetchLike = (url, init) => {
      calls.push({ url, method: init.method, redirect: init.redirect, headers: init.headers });
      return fetch(url, init);
    };
    const { issuer, verifier, token } = setup({ fetch: recording });
    await verifier.verify(await token(key1));
    expect(calls).toEqual([
      {
        url: `${issuer}/oauth2/jwks`,
        method: 'GET',
        redirect: 'manual',
        headers: { accept: 'application/jwk-set+json, application/json' },
      },
    ]);
  });
});

describe('createJwksStore refuses at start-up', () => {
  it.each([
    [{ cacheMaxAgeSeconds: -1 }, 'cacheMaxAgeSeconds must be a finite number of seconds >= 0, got -1'],
    [{ cooldownSeconds: Number.NaN }, 'cooldownSeconds must be a finite number of seconds >= 0, got NaN'],
    [{ timeoutSeconds: 0 }, 'timeoutSeconds must be a finite number of seconds > 0, got 0'],
    [{ timeoutSeconds: '5' }, 'timeoutSeconds must be a finite number of seconds > 0, got 5'],
    [{ fetch: 'https://proxy' }, 'fetch must be a function'],
  ])('%j', (options, message) => {
    expect(() => createJwksStore(options as JwksStoreOptions)).toThrow(new TypeError(message));
  });

  it('documents its defaults: 10 minutes cache, 30 s cooldown, 5 s timeout', () => {
    expect(JWKS_STORE_DEFAULTS).toEqual({ cacheMaxAgeSeconds: 600, cooldownSeconds: 30, timeoutSeconds: 5 });
  });
});
