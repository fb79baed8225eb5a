import { generateKeyPairSync } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signCompactJws } from './compact-jws.js';

describe('signCompactJws', () => {
  const claims = { iss: 'https://issuer.example', sub: 'user-1', aud: 'https://api.example', exp: 4_000_000_000 };

  it('signs ES256 tokens that jose verifies, with the R || S signature of RFC 7518 §3.4', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signCompactJws(claims, { alg: 'ES256', typ: 'at+jwt', kid: 'k1' }, privateKey);
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { algorithms: ['ES256'], typ: 'at+jwt' });
    expect(payload).toEqual(claims);
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' });
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64);
  });

  it('signs RS256 tokens that jose verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signCompactJws(claims, { alg: 'RS256', typ: 'JWT', kid: 'r1' }, privateKey);
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['RS256'], typ: 'JWT' });
    expect(payload).toEqual(claims);
  });

  it('keeps headers of different keys and types apart', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const first = signCompactJws(claims, { alg: 'ES256', typ: 'at+jwt', kid: 'a' }, privateKey);
    const second = signCompactJws(claims, { alg: 'ES256', typ: 'JWT', kid: 'b' }, privateKey);
    expect(decodeProtectedHeader(first)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: 'a' });
    expect(decodeProtectedHeader(second)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'b' });
    await expect(compactVerify(second, publicKey)).resolves.toBeDefined();
  });

  it('produces a signature that fails verification with another key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const token = signCompactJws(claims, { alg: 'ES256', typ: 'JWT', kid: 'k' }, privateKey);
    await expect(jwtVerify(token, other)).rejects.toThrow();
  });
});
