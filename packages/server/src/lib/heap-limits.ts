import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** The young generation's semi-space cap, in MiB (V8's default on 64-bit: 16). */
const MAX_SEMI_SPACE_MIB = 4;
/** Old generation: the next full GC once it grew by this much over what the last one kept (V8: dynamic, up to 300 %). */
const HEAP_GROWING_PERCENT = 50;

let apply: (() => void) | undefined;
let startingUp = true;
let isolatesStarting = 0;

/**
 * Keeps the server's V8 heap small, for a resident set that stays flat and low under load
 * (issue 8: under 150 MB). Measured on the token endpoints at c=32, 20 s runs: with V8's
 * defaults the young generation grows to 2 x 16 MiB and the old one to about twice its live
 * size between full GCs, 207-212 MB RSS at peak; with these limits 132-134 MB, for up to ~5 %
 * of throughput and a few milliseconds of p99 (full GCs come more often). With a growth of
 * 100 % instead of 50 %: 143-152 MB.
 *
 * Both are set while running, because the server is often started as `node .../gatehouse.js`
 * where no command-line flag (`--max-semi-space-size`) can be added for it. V8 reads
 * `--semi-space-growth-factor` each time the young generation grows, so the cap is kept by
 * allowing growth (factor 2) only while one more doubling stays within it, checked after every
 * GC. Two things of V8's get in the way, hence the start-up phase: start-up runs many GCs
 * without a turn of the event loop (so growth is off until the first check), and creating an
 * isolate (the SQLite writer thread) sets the factor back to 2 before the thread is running
 * (so until it is, the young generation stays at half the cap: one unwanted doubling still
 * lands within it). The check runs between turns of the event loop, so a single turn that
 * allocates several semi-spaces at once can still grow it one step further; request-sized
 * turns do not. An operator's own `--max-semi-space-size` is left alone.
 *
 * Call first thing in the process (bin/gatehouse.js); finishHeapStartup() once serving.
 */
export function limitHeapGrowth(): () => void {
  const ownSemiSpace = process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size'));
  // A semi-space pair: V8 reports the new space's size as both semi-spaces together.
  const capBytes = 2 * MAX_SEMI_SPACE_MIB * 1024 * 1024;
  apply = () => {
    v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    if (ownSemiSpace) return;
    const cap = startingUp || isolatesStarting > 0 ? capBytes / 2 : capBytes;
    const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    v8.setFlagsFromString(`--semi-space-growth-factor=${newSpace && newSpace.space_size * 2 <= cap ? 2 : 1}`);
  };
  if (!ownSemiSpace) v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // The young generation only grows in a GC: look after every one.
  const observer = new PerformanceObserver(() => apply?.());
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    apply = undefined;
  };
}

/** The server is up (its threads started): the young generation may grow to the full cap. */
export function finishHeapStartup(): void {
  startingUp = false;
  apply?.();
}

/**
 * Call when starting a worker thread; call what it returns once the thread is running (its
 * 'online' event): until then the cap is halved, and then the limits are set again.
 */
export function isolateStarting(): () => void {
  isolatesStarting++;
  apply?.();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    isolatesStarting--;
    apply?.();
  };
}
