import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * lib/heap-limits.ts sets process-wide V8 flags, so each case runs in a child process on the
 * built module (npm test builds first, as bin/gatehouse.js uses it): a worker thread is started
 * mid-way, as the SQLite writer is (which puts one of the flags back), then the young generation
 * is put under the allocation pressure that grows it to V8's default 2 x 16 MiB. The check
 * runs after each GC, between turns of the event loop: one turn that allocates several
 * semi-spaces at once can still grow it past the cap.
 */
const HEAP_LIMITS = fileURLToPath(new URL('../dist/lib/heap-limits.js', import.meta.url));

const program = (withLimits: boolean) => `
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
const limits = ${withLimits ? `await import(${JSON.stringify(HEAP_LIMITS)})` : 'undefined'};
limits?.limitHeapGrowth();
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const churn = (n) => { const keep = []; for (let i = 0; i < n; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 60000) keep.length = 0; } };
churn(1e6);
const online = limits ? limits.isolateStarting() : () => {};
const worker = new Worker('setTimeout(() => {}, 50)', { eval: true });
await new Promise((resolve) => worker.once('online', resolve));
online();
limits?.finishHeapStartup();
// Request-sized turns (~1.5 MB each): the limits are checked between them.
for (let round = 0; round < 600; round++) {
  churn(2e4);
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(String(newSpace()));
process.exit(0);
`;

function youngGenerationBytes(withLimits: boolean): number {
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', program(withLimits)], { encoding: 'utf8' }),
  );
}

describe('limitHeapGrowth (issue 8: RSS under 150 MB)', () => {
  it('keeps the young generation at 2 x 4 MiB, across a worker thread start, where V8 alone grows it further', () => {
    expect(youngGenerationBytes(false)).toBeGreaterThan(16 * 1024 * 1024);
    expect(youngGenerationBytes(true)).toBeLessThanOrEqual(8 * 1024 * 1024 + 512 * 1024);
  });
});
