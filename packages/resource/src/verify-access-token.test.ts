import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  TENANT,
  USER_ID,
  accessTokenClaims,
  base64url,
  createClock,
  createSigningKey,
  createTestRealm,
  failure,
  signAccessToken,
  useFakeIssuer,
} from '../test/fake-issuer.js';
import { createJwksStore } from './jwks-store.js';
import { InsufficientScopeError, InvalidTokenError } from './errors.js';
import { createVerifier, verifyAccessToken, type VerifierOptions } from './verify-access-token.js';

const server = useFakeIssuer();
const key = await createSigningKey('key-1');
let realms = 0;

/** A fresh realm issuer publishing `key`, a clock, and a verifier using both. */
function setup(options: Partial<VerifierOptions> = {}) {
  realms += 1;
  return createTestRealm(server, `T${realms}-U`, [key], { verifier: options });
}

const rejection = (promise: Promise<unknown>): Promise<InvalidTokenError> => failure(promise, InvalidTokenError);

describe('verify accepts', () => {
  it('a valid Gatehouse access token and returns typed claims', async () => {
    const { issuer, clock, verifier, claims } = setup();
    const iat = clock.seconds();
    const result = await verifier.verify(await signAccessToken(key, claims({ auth_time: iat - 60 })));
    expect(result).toEqual({
      sub: USER_ID,
      clientId: 'spa-demo',
      scopes: ['openid', 'core.aiservices.read'],
      tenant: TENANT,
      actor: 'user',
      issuer,
      audience: [AUDIENCE],
      expiresAt: new Date((iat + 300) * 1000),
      issuedAt: new Date(iat * 1000),
      authTime: new Date((iat - 60) * 1000),
      jti: 'at-0001',
      raw: { ...claims(), auth_time: iat - 60 },
    });
    expect(Object.isFrozen(result)).toBe(true);
    expect(server.requestCount(issuer)).toBe(1);
  });

  it('typ "application/at+jwt" and any letter case (RFC 9068 §4)', async () => {
    const { verifier, claims } = setup();
    for (const typ of ['application/at+jwt', 'AT+JWT', 'Application/AT+JWT']) {
      await expect(verifier.verify(await signAccessToken(key, claims(), { typ }))).resolves.toMatchObject({
        sub: USER_ID,
      });
    }
  });

  it('a customer token with an audience list and no scope claim', async () => {
    const { verifier, claims } = setup();
    const token = await signAccessToken(
      key,
      claims({ actor: 'customer', aud: ['https://other.test', AUDIENCE], scope: undefined }),
    );
    await expect(verifier.verify(token)).resolves.toMatchObject({
      actor: 'customer',
      audience: ['https://other.test', AUDIENCE],
      scopes: [],
    });
  });

  it('a token granting every required scope', async () => {
    const { verifier, claims } = setup();
    const token = await signAccessToken(key, claims({ scope: 'a b  c' }));
    await expect(verifier.verify(token, { requiredScopes: ['c', 'a'] })).resolves.toMatchObject({
      scopes: ['a', 'b', 'c'],
    });
  });

  it('through verifyAccessToken with the process-wide key cache', async () => {
    realms += 1;
    const issuer = server.issuer(`T${realms}-U`);
    server.publish(issuer, [key]);
    const token = await signAccessToken(key, accessTokenClaims(issuer, Math.floor(Date.now() / 1000)));
    await expect(
      verifyAccessToken(token, { issuer, audience: AUDIENCE, requiredScopes: ['openid'] }),
    ).resolves.toMatchObject({ issuer });
    await expect(verifyAccessToken(token, { issuer, audience: AUDIENCE })).resolves.toMatchObject({ issuer });
    expect(server.requestCount(issuer)).toBe(1);
  });
});

describe('verify rejects with invalid_token', () => {
  it('a token whose typ is JWT (e.g. an ID token) or missing', async () => {
    const { issuer, verifier, claims } = setup();
    const idToken = await rejection(verifier.verify(await signAccessToken(key, claims(), { typ: 'JWT' })));
    expect([idToken.code, idToken.status, idToken.message]).toEqual([
      'invalid_token',
      401,
      'The token is not an access token',
    ]);
    expect(idToken.detail).toBe('typ header is "JWT", expected "at+jwt"');
    const noTyp = await rejection(verifier.verify(await signAccessToken(key, claims(), { typ: undefined })));
    expect(noTyp.message).toBe('The token is not an access token');
    expect(server.requestCount(issuer)).toBe(0);
  });

  it('an HS256 token, even one keyed with the public key', async () => {
    const { issuer, verifier, claims } = setup();
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: key.kid })
      .sign(secret);
    const error = await rejection(verifier.verify(token));
    expect(error.message).toBe('The access token is signed with an unsupported algorithm');
    expect(error.detail).toBe('alg header is "HS256", expected "ES256"');
    expect(server.requestCount(issuer)).toBe(0);
  });

  it('an unsigned token (alg none)', async () => {
    const { verifier, claims } = setup();
    const token = `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url(claims())}.`;
    const error = await rejection(verifier.verify(token));
    expect(error.message).toBe('The access token is signed with an unsupported algorithm');
  });

  it('a token signed by another key under a published kid', async () => {
    const { verifier, claims } = setup();
    const impostor = { ...(await createSigningKey('key-1')) };
    const error = await rejection(verifier.verify(await signAccessToken(impostor, claims())));
    expect(error.message).toBe('The access token signature is invalid');
  });

  it('a token whose payload was altered after signing', async () => {
    const { verifier, claims } = setup();
    const [header, , signature] = (await signAccessToken(key, claims())).split('.');
    const error = await rejection(verifier.verify(`${header}.${base64url(claims({ scope: 'admin' }))}.${signature}`));
    expect(error.message).toBe('The access token signature is invalid');
  });

  it('garbage and empty strings', async () => {
    const { verifier } = setup();
    expect((await rejection(verifier.verify('not-a-jwt'))).message).toBe('The access token is malformed');
    expect((await rejection(verifier.verify(''))).message).toBe('The access token is malformed');
    expect(
      (await rejection(verifier.verify(`${base64url({ alg: 'ES256', typ: 'at+jwt' })}.bm90LWpzb24.c2ln`))).message,
    ).toBe('The access token is malformed');
  });

  it('an expired token, beyond the default 5 second tolerance only', async () => {
    const { clock, verifier, claims } = setup();
    const iat = clock.seconds();
    const token = await signAccessToken(key, claims({ exp: iat + 60 }));
    clock.advanceSeconds(64);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: USER_ID });
    clock.advanceSeconds(1);
    const error = await rejection(verifier.verify(token));
    expect(error.message).toBe('The access token expired');
    expect(error.detail).toBe('ERR_JWT_EXPIRED: "exp" claim timestamp check failed');
  });

  it('an expired token at once when clockToleranceSeconds is 0', async () => {
    const { clock, verifier, claims } = setup({ clockToleranceSeconds: 0 });
    const token = await signAccessToken(key, claims({ exp: clock.seconds() + 60 }));
    clock.advanceSeconds(60);
    expect((await rejection(verifier.verify(token))).message).toBe('The access token expired');
  });

  it('a token not valid yet (nbf) or issued in the future (iat), beyond the tolerance', async () => {
    const { clock, verifier, claims } = setup();
    const now = clock.seconds();
    await expect(
      verifier.verify(await signAccessToken(key, claims({ nbf: now + 5, iat: now + 5 }))),
    ).resolves.toMatchObject({});
    expect((await rejection(verifier.verify(await signAccessToken(key, claims({ nbf: now + 6 }))))).message).toBe(
      'The access token is not valid yet',
    );
    expect((await rejection(verifier.verify(await signAccessToken(key, claims({ iat: now + 6 }))))).message).toBe(
      'The access token was issued in the future',
    );
  });

  it('a token from an issuer that is not allowed, without fetching its keys', async () => {
    const { verifier, claims } = setup();
    const rogue = server.issuer('EVIL-U');
    server.publish(rogue, [key]);
    const error = await rejection(verifier.verify(await signAccessToken(key, claims({ iss: rogue }))));
    expect(error.message).toBe('The access token issuer is not trusted');
    expect(error.detail).toBe(`iss ${JSON.stringify(rogue)} is not in the allow-list`);
    expect(server.requestCount(rogue)).toBe(0);
  });

  it('a token whose iss differs from the allowed one only by a trailing slash', async () => {
    const { issuer, verifier, claims } = setup();
    const error = await rejection(verifier.verify(await signAccessToken(key, claims({ iss: `${issuer}/` }))));
    expect(error.message).toBe('The access token issuer is not trusted');
  });

  it('a token for another audience', async () => {
    const { verifier, claims } = setup();
    const error = await rejection(
      verifier.verify(await signAccessToken(key, claims({ aud: 'https://other-api.example.test' }))),
    );
    expect(error.message).toBe('The access token is not intended for this audience');
  });

  it.each(['iss', 'sub', 'aud', 'client_id', 'jti', 'iat', 'exp', 'tenant_id', 'actor'])(
    'a token without the %s claim',
    async (claim) => {
      const { verifier, claims } = setup();
      const error = await rejection(verifier.verify(await signAccessToken(key, claims({ [claim]: undefined }))));
      expect(error.message).toBe(`The access token is missing the "${claim}" claim`);
    },
  );

  it.each([
    ['sub', 42],
    ['client_id', ''],
    ['jti', ['a']],
    ['scope', ['core.aiservices.read']],
    ['actor', 'admin'],
    ['tenant_id', null],
    ['auth_time', 'yesterday'],
  ])('a token whose %s claim is %j', async (claim, value) => {
    const { verifier, claims } = setup();
    const error = await rejection(verifier.verify(await signAccessToken(key, claims({ [claim]: value }))));
    expect(error.message).toBe(`The access token has an invalid "${claim}" claim`);
  });
});

describe('verify rejects with insufficient_scope', () => {
  it('a valid token lacking one of the required scopes, naming all of them', async () => {
    const { verifier, claims } = setup();
    const error = await verifier
      .verify(await signAccessToken(key, claims()), {
        requiredScopes: ['core.aiservices.read', 'core.aiservices.write'],
      })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InsufficientScopeError);
    const scopeError = error as InsufficientScopeError;
    expect([scopeError.code, scopeError.status]).toEqual(['insufficient_scope', 403]);
    expect(scopeError.requiredScopes).toEqual(['core.aiservices.read', 'core.aiservices.write']);
    expect(scopeError.grantedScopes).toEqual(['openid', 'core.aiservices.read']);
    expect(scopeError.detail).toBe('missing scopes: core.aiservices.write');
  });
});

describe('several issuers', () => {
  it('take the key set of the issuer named in the token', async () => {
    const userIssuer = server.issuer(`MULTI${++realms}-U`);
    const customerIssuer = server.issuer(`MULTI${realms}-C`);
    const customerKey = await createSigningKey('customer-key');
    server.publish(userIssuer, [key]);
    server.publish(customerIssuer, [customerKey]);
    const clock = createClock();
    const verifier = createVerifier({
      issuers: [userIssuer, customerIssuer],
      audience: AUDIENCE,
      jwks: createJwksStore({ now: clock.now }),
      now: clock.now,
    });

    const customerToken = await signAccessToken(customerKey, {
      ...accessTokenClaims(customerIssuer, clock.seconds()),
      actor: 'customer',
    });
    await expect(verifier.verify(customerToken)).resolves.toMatchObject({ issuer: customerIssuer, actor: 'customer' });
    expect([server.requestCount(userIssuer), server.requestCount(customerIssuer)]).toEqual([0, 1]);

    // A customer-realm token presented as if from the user realm: the user realm's keys refuse it.
    const forged = await signAccessToken(
      customerKey,
      { ...accessTokenClaims(userIssuer, clock.seconds()) },
      { kid: 'key-1' },
    );
    expect((await rejection(verifier.verify(forged))).message).toBe('The access token signature is invalid');
    expect([server.requestCount(userIssuer), server.requestCount(customerIssuer)]).toEqual([1, 1]);
  });

  it('use a jwksUri function when the keys live elsewhere', async () => {
    const issuer = 'https://auth.example.test/system/auth/ELSEWHERE-U';
    const jwksHome = server.issuer(`HOME${++realms}-U`);
    server.publish(jwksHome, [key]);
    const clock = createClock();
    const verifier = createVerifier({
      issuer,
      audience: AUDIENCE,
      jwksUri: () => `${jwksHome}/oauth2/jwks`,
      jwks: createJwksStore({ now: clock.now }),
      now: clock.now,
    });
    const token = await signAccessToken(key, accessTokenClaims(issuer, clock.seconds()));
    await expect(verifier.verify(token)).resolves.toMatchObject({ issuer });
    expect(server.requestCount(jwksHome)).toBe(1);
  });
});

describe('createVerifier refuses at start-up', () => {
  const issuer = 'https://auth.example.test/system/auth/T-U';
  it.each([
    [{ audience: AUDIENCE }, 'issuer or issuers is required'],
    [{ issuers: [], audience: AUDIENCE }, 'issuer or issuers is required'],
    [{ issuer, issuers: [issuer], audience: AUDIENCE }, 'pass either issuer or issuers, not both'],
    [{ issuer: 'auth.example.test', audience: AUDIENCE }, 'issuer must be an absolute URL, got "auth.example.test"'],
    [
      { issuers: [issuer, 'ftp://x.test'], audience: AUDIENCE },
      'issuers[1] must be an http(s) URL, got "ftp://x.test"',
    ],
    [{ issuer }, 'audience must be a non-empty string'],
    [
      { issuer, audience: AUDIENCE, clockToleranceSeconds: -1 },
      'clockToleranceSeconds must be a finite number of seconds >= 0, got -1',
    ],
    [
      { issuers: [issuer, `${issuer}2`], audience: AUDIENCE, jwksUri: 'https://x.test/jwks' },
      'jwksUri as a string needs a single issuer; pass a function (issuer) => uri for several',
    ],
    [{ issuer, audience: AUDIENCE, jwksUri: '/jwks' }, `jwksUri for ${issuer} must be an absolute URL, got "/jwks"`],
  ])('%j', (options, message) => {
    expect(() => createVerifier(options as VerifierOptions)).toThrow(new TypeError(message));
  });

  it('a required scope that could break the WWW-Authenticate header', async () => {
    const { verifier, claims } = setup();
    const token = await signAccessToken(key, claims());
    await expect(verifier.verify(token, { requiredScopes: ['a"b'] })).rejects.toThrow(TypeError);
  });
});
