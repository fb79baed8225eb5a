import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The peer's password hash: scrypt with N=2^14, r=8, p=1 (16 MiB, the common interactive-login
 * setting), a 16-byte random salt and a 32-byte key. Runs on libuv's thread pool like Gatehouse's
 * argon2id, so both servers hash off the event loop and within the same pinned core.
 */
export const SCRYPT = Object.freeze({ N: 2 ** 14, r: 8, p: 1, keyLength: 32 });

function derive(password, salt) {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password) {
  const salt = randomBytes(16);
  return { salt, key: await derive(password, salt) };
}

export async function verifyPassword(hash, password) {
  return timingSafeEqual(hash.key, await derive(password, hash.salt));
}
