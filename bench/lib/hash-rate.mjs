import { spawnPinned } from './processes.mjs';

/**
 * The password hash's own rate on the server's core: how many password checks per second that
 * core can do when it does nothing else, the ceiling of any first-sign-in flow. Run in a child
 * process pinned like the servers, with 4 checks asked for at once (libuv's thread pool size).
 * Gatehouse's verifySecret runs them one per core the process may use (1 when pinned), as its
 * server does; the peer's scrypt runs 4 at once on the pool.
 *   argon2id — Gatehouse's own verifySecret (packages/server/dist/lib/passwords.js), its parameters;
 *   scrypt   — the peer's check (bench/peer/password.mjs, N=2^14, r=8, p=1).
 *
 * Returns the checks per second and the CPU milliseconds one check costs (all threads of the
 * child): on a shared machine the rate moves with the load, the CPU per check does not.
 *
 * As a script: `node hash-rate.mjs argon2id|scrypt SECONDS` prints `{"perSecond": n, "cpuMsPerCheck": m}`.
 */
export async function measureHashRate(kind, { core, seconds }) {
  const proc = spawnPinned(core, [new URL(import.meta.url).pathname, kind, String(seconds)]);
  await new Promise((resolve) => proc.child.once('exit', resolve));
  const line = proc.output().trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`hash-rate ${kind} failed:\n${proc.output()}`);
  }
}

async function loadCheck(kind) {
  if (kind === 'scrypt') {
    const { hashPassword, verifyPassword } = await import('../peer/password.mjs');
    const hash = await hashPassword('correct horse battery staple');
    return () => verifyPassword(hash, 'correct horse battery staple');
  }
  const { hashSecret, verifySecret } = await import('../../packages/server/dist/lib/passwords.js');
  const hash = await hashSecret('correct horse battery staple');
  return () => verifySecret(hash, 'correct horse battery staple');
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [kind, seconds] = process.argv.slice(2);
  const check = await loadCheck(kind);
  await check(); // warm
  const deadline = Date.now() + Number(seconds) * 1000;
  let count = 0;
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < deadline) {
        if (!(await check())) throw new Error('password check failed');
        count++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerCheck = (cpu.user + cpu.system) / 1000 / count;
  process.stdout.write(`${JSON.stringify({ perSecond: count / ((Date.now() - started) / 1000), cpuMsPerCheck })}\n`);
}
