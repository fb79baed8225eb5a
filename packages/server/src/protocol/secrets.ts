import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Opaque high-entropy secrets (codes, refresh tokens, session cookies) are stored as their
 * SHA-256: a leaked table cannot be replayed, and with 256 random bits no salt is needed.
 */
export function hashOpaqueSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time string equality for secrets that are compared directly (CSRF tokens). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
