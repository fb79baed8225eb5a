import { type KeyObject, sign } from 'node:crypto';

/** The JWS algorithms this server signs with (RFC 7518 §3.3 RS256, §3.4 ES256). */
export type JwsAlgorithm = 'ES256' | 'RS256';

/**
 * A JWT in JWS Compact Serialization (RFC 7515 §7.1), signed synchronously with node:crypto.
 *
 * Why not jose's SignJWT: jose 6 signs through WebCrypto, whose promise-based job costs about
 * three times what a direct `crypto.sign` does (measured: ES256 96 µs vs 32 µs per token on
 * this machine), and the token endpoint signs one or two tokens per request. Verification
 * stays with jose.
 */
export function signCompactJws(
  claims: Record<string, unknown>,
  header: { readonly alg: JwsAlgorithm; readonly typ: string; readonly kid: string },
  key: KeyObject,
): string {
  const signingInput = `${encodedHeader(header)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  // RFC 7518 §3.4: an ECDSA signature is R || S, each 32 bytes for P-256, not DER.
  const signature = sign('sha256', Buffer.from(signingInput), {
    key,
    ...(header.alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

// A handful of distinct headers exist per process (per key and token type): encode each once.
const headers = new Map<string, string>();

function encodedHeader(header: { readonly alg: JwsAlgorithm; readonly typ: string; readonly kid: string }): string {
  const cacheKey = `${header.alg} ${header.typ} ${header.kid}`;
  let encoded = headers.get(cacheKey);
  if (encoded === undefined) {
    if (headers.size > 1000) headers.clear();
    encoded = Buffer.from(JSON.stringify({ alg: header.alg, typ: header.typ, kid: header.kid })).toString('base64url');
    headers.set(cacheKey, encoded);
  }
  return encoded;
}
