import { afterEach, describe, expect, it } from 'vitest';
import { createGatehouseClient } from './client.js';
import { ConfigurationError, GatehouseError, IssuerMismatchError } from './errors.js';
import { deriveIssuer, isLoopbackHttp } from './lib/metadata.js';
import { fakeLocation, memoryStorage, testClock } from './testing/browser-fakes.js';
import {
  CLIENT_ID,
  REDIRECT_URI,
  startFakeAuthorizationServer,
  type FakeAuthorizationServer,
} from './testing/fake-authorization-server.js';
import { SCOPE } from './testing/harness.js';

let server: FakeAuthorizationServer | undefined;
afterEach(() => server?.close());

const browser = () => ({ storage: memoryStorage(), location: fakeLocation(), locks: null });
const base = { clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scope: SCOPE };

describe('issuer derivation and transport rules', () => {
  it('derives the issuer from a Gatehouse authorization URL by removing /oauth2/authorize', () => {
    expect(deriveIssuer(new URL('https://ai.egain.cloud/system/auth/TMPRODB88619984-U/oauth2/authorize'))).toBe(
      'https://ai.egain.cloud/system/auth/TMPRODB88619984-U',
    );
    expect(deriveIssuer(new URL('http://localhost:8080/system/auth/TMPRODB88619984-C/oauth2/authorize'))).toBe(
      'http://localhost:8080/system/auth/TMPRODB88619984-C',
    );
  });

  it('refuses to derive an issuer from any other authorization URL', () => {
    expect(() => deriveIssuer(new URL('https://idp.example/authorize'))).toThrow(ConfigurationError);
    expect(() => deriveIssuer(new URL('https://idp.example/t/oauth2/authorize?x=1'))).toThrow(ConfigurationError);
  });

  it('treats only loopback hosts as acceptable over plain http', () => {
    expect(
      [
        'http://localhost:8080/',
        'http://127.0.0.1/',
        'http://127.3.2.1/',
        'http://[::1]:3000/',
        'http://app.localhost/',
      ].map((u) => isLoopbackHttp(new URL(u))),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['https://localhost/', 'http://example.com/', 'http://10.0.0.1/', 'http://localhost.example.com/'].map((u) =>
        isLoopbackHttp(new URL(u)),
      ),
    ).toEqual([false, false, false, false]);
  });
});

describe('createGatehouseClient', () => {
  it('signs in from the Authorization URL and Token URL alone, without a discovery request, checking iss against the derived issuer', async () => {
    const clock = testClock();
    server = await startFakeAuthorizationServer({ now: clock.now });
    const requested: string[] = [];
    const countingFetch: typeof fetch = (input, init) => (requested.push(String(input)), fetch(input, init));
    const client = await createGatehouseClient({
      ...base,
      ...browser(),
      authorizationUrl: `${server.issuer}/oauth2/authorize`,
      tokenUrl: `${server.issuer}/oauth2/token`,
      fetch: countingFetch,
      now: clock.now,
    });
    expect(client.issuer).toBe(server.issuer);

    const callback = await server.authorize(await client.buildAuthorizeUrl());
    await client.handleRedirectCallback(callback);
    expect(await client.isAuthenticated()).toBe(true);
    expect(requested).toEqual([`${server.issuer}/oauth2/token`]);

    const foreign = new URL(await server.authorize(await client.buildAuthorizeUrl()));
    foreign.searchParams.set('iss', `${server.origin}/system/auth/OTHER-U`);
    await expect(client.handleRedirectCallback(foreign.href)).rejects.toBeInstanceOf(IssuerMismatchError);
  });

  it('uses an explicit issuer instead of deriving one', async () => {
    const client = await createGatehouseClient({
      ...base,
      ...browser(),
      authorizationUrl: 'https://login.example.com/authorize',
      tokenUrl: 'https://login.example.com/token',
      issuer: 'https://login.example.com',
    });
    expect(client.issuer).toBe('https://login.example.com');
  });

  it.each([
    [{ ...base, issuer: 'http://auth.example.com/system/auth/T-U' }, 'issuer must use https'],
    [
      { ...base, authorizationUrl: 'https://a.example/oauth2/authorize', tokenUrl: 'http://a.example/oauth2/token' },
      'tokenUrl must use https',
    ],
    [
      { ...base, authorizationUrl: 'https://a.example/authorize', tokenUrl: 'https://a.example/token' },
      'cannot derive the issuer',
    ],
    [{ ...base, authorizationUrl: 'https://a.example/oauth2/authorize' }, 'tokenUrl must be an absolute URL'],
    [{ ...base, clientId: '', issuer: 'https://a.example' }, 'clientId must be a non-empty string'],
    [{ ...base, redirectUri: '/callback', issuer: 'https://a.example' }, 'redirectUri must be an absolute URL'],
    [{ ...base, leewaySeconds: -1, issuer: 'https://a.example' }, 'leewaySeconds must be a non-negative number'],
    [{ ...base, tokenStore: 'cookie', issuer: 'https://a.example' }, "tokenStore must be 'memory'"],
    // Node 20 has no IndexedDB, like a browser where it is disabled.
    [{ ...base, tokenStore: 'indexeddb', issuer: 'https://a.example' }, "tokenStore 'indexeddb' needs IndexedDB"],
  ])('rejects unusable options with ConfigurationError before any request (%#)', async (options, message) => {
    const error = await createGatehouseClient({ ...browser(), ...(options as typeof base & { issuer: string }) }).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'invalid_configuration' });
    expect((error as Error).message).toContain(message);
  });

  it('needs sessionStorage and location, which Node lacks unless injected', async () => {
    await expect(
      createGatehouseClient({ ...base, issuer: 'https://a.example', location: fakeLocation() }),
    ).rejects.toThrow('sessionStorage is unavailable; pass options.storage');
    await expect(
      createGatehouseClient({ ...base, issuer: 'https://a.example', storage: memoryStorage() }),
    ).rejects.toThrow('window.location is unavailable; pass options.location');
  });

  it('fails with discovery_failed when the issuer has no metadata or the metadata names another issuer', async () => {
    server = await startFakeAuthorizationServer({ now: Date.now });
    const missing = await createGatehouseClient({
      ...base,
      ...browser(),
      issuer: `${server.origin}/system/auth/NOPE-U`,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GatehouseError);
    expect(missing).toMatchObject({ code: 'discovery_failed' });

    // The same metadata document reached through another issuer string (trailing slash) is refused (RFC 8414 §3.3).
    const aliased = await createGatehouseClient({ ...base, ...browser(), issuer: `${server.issuer}/` }).catch(
      (e: unknown) => e,
    );
    expect(aliased).toMatchObject({ code: 'discovery_failed' });
    expect((aliased as Error).message).toContain('"issuer" property does not match the expected value');
  });
});
