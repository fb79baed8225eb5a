import { performance } from 'node:perf_hooks';
import { busyBetween, readCore } from './machine.mjs';
import { readProcess } from './processes.mjs';

/**
 * A closed-loop load: `concurrency` virtual users, each running `iteration(user)` back to back
 * for `seconds`. Records when each iteration completed (per-second throughput), how long it took
 * (latency percentiles), which check failed (by kind), and samples the server's CPU time and RSS
 * from /proc and the generator's own CPU once a second, and how busy both cores were in total.
 *
 * Only iterations that finish inside the window count; one still in flight at the end is
 * dropped (its latency would be cut short). A virtual user whose iteration fails runs
 * `recover(user)` (when given) before going on, as a client would start over.
 */
export async function runLoad({ seconds, concurrency, users, iteration, recover, serverPid, shouldStop, cores }) {
  const durationMs = seconds * 1000;
  const latencies = [];
  const perSecond = new Array(Math.ceil(seconds)).fill(0);
  const failures = new Map();
  const samples = [];
  let completed = 0;

  const startCpu = readProcess(serverPid);
  const startSelf = process.cpuUsage();
  const startCores = { server: readCore(cores.server), generator: readCore(cores.generator) };
  const started = performance.now();
  const deadline = started + durationMs;
  let previous = { at: started, server: startCpu.cpuSeconds, self: 0 };

  const sampler = setInterval(() => {
    const now = performance.now();
    const server = readProcess(serverPid);
    const selfUsage = process.cpuUsage(startSelf);
    const self = (selfUsage.user + selfUsage.system) / 1e6;
    const wall = (now - previous.at) / 1000;
    samples.push({
      t: Math.round((now - started) / 100) / 10,
      serverCpu: (server.cpuSeconds - previous.server) / wall,
      generatorCpu: (self - previous.self) / wall,
      rssMb: server.rssMb,
    });
    previous = { at: now, server: server.cpuSeconds, self };
  }, 1000);

  const virtualUser = async (user) => {
    while (performance.now() < deadline && !shouldStop?.()) {
      const t0 = performance.now();
      try {
        await iteration(user);
      } catch (error) {
        const kind = error.kind ?? `error-${error.code ?? error.message}`;
        failures.set(kind, (failures.get(kind) ?? 0) + 1);
        if (recover) {
          try {
            await recover(user);
          } catch {
            // counted when the next iteration fails
          }
        }
        continue;
      }
      const t1 = performance.now();
      if (t1 > deadline) break;
      latencies.push(t1 - t0);
      perSecond[Math.min(perSecond.length - 1, Math.floor((t1 - started) / 1000))]++;
      completed++;
    }
  };
  await Promise.all(users.slice(0, concurrency).map(virtualUser));
  clearInterval(sampler);

  const ended = Math.min(performance.now(), deadline);
  const wallSeconds = (ended - started) / 1000;
  const endCpu = readProcess(serverPid);
  const selfUsage = process.cpuUsage(startSelf);
  const serverCoreBusy = busyBetween(startCores.server, readCore(cores.server));
  const generatorCoreBusy = busyBetween(startCores.generator, readCore(cores.generator));
  latencies.sort((a, b) => a - b);
  const percentile = (p) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : null;
  const measuredSeconds = Math.max(1, Math.floor(wallSeconds));
  const rates = perSecond.slice(0, measuredSeconds);
  const third = Math.max(1, Math.floor(rates.length / 3));
  const mean = (list) => list.reduce((sum, value) => sum + value, 0) / Math.max(1, list.length);
  const serverCpuSeconds = endCpu.cpuSeconds - startCpu.cpuSeconds;
  return {
    seconds: Math.round(wallSeconds * 10) / 10,
    completed,
    perSecondAvg: completed / wallSeconds,
    firstThirdPerSecond: mean(rates.slice(0, third)),
    lastThirdPerSecond: mean(rates.slice(-third)),
    perSecond: rates,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    p999Ms: percentile(99.9),
    maxMs: latencies.length ? latencies[latencies.length - 1] : null,
    failures: Object.fromEntries(failures),
    failureCount: [...failures.values()].reduce((sum, n) => sum + n, 0),
    serverCpu: serverCpuSeconds / wallSeconds,
    serverCpuMsPerIteration: completed ? (serverCpuSeconds * 1000) / completed : null,
    // Storage writes per unit (JSON only): what a change to the write path costs in disk I/O.
    serverWrittenKbPerIteration: completed ? (endCpu.writtenBytes - startCpu.writtenBytes) / 1024 / completed : null,
    generatorCpu: (selfUsage.user + selfUsage.system) / 1e6 / wallSeconds,
    // Whole-core busy fractions (all processes): what other work on the shared machine took.
    serverCoreBusy,
    generatorCoreBusy,
    rssMbStart: startCpu.rssMb,
    rssMbEnd: endCpu.rssMb,
    rssMbMax: Math.max(endCpu.rssMb, ...samples.map((sample) => sample.rssMb)),
    samples,
  };
}
