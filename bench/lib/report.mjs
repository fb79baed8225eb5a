/**
 * The one table (both servers side by side, the ratios) and the judgement of what limited each
 * run: the server's core, the load generator's core, or neither (the server waited: on fsync,
 * on I/O, or on other work of the shared machine).
 */

/** At or above this fraction of one core a process counts as saturating it. */
const SATURATED = 0.9;

export function limitOf(result) {
  if (result.serverCpu >= SATURATED) return 'server';
  if (result.generatorCpu >= SATURATED) return 'GENERATOR';
  if (result.serverCoreBusy >= SATURATED) return 'core shared';
  return 'waits';
}

const fixed = (value, digits = 0) => (value === null || value === undefined ? '-' : value.toFixed(digits));
const rate = (value) => (value >= 100 ? fixed(value) : fixed(value, 1));
const pct = (value) => `${fixed(value * 100)}%`;

function cell(result, seconds) {
  if (!result) return { rate: '-', trend: '-', latency: '-', cpu: '-', rss: '-', fail: '-' };
  return {
    // * = the run ended early (its pre-minted codes ran out); the rate is over the time it ran.
    rate: `${rate(result.perSecondAvg)}${result.seconds < seconds - 0.5 ? '*' : ''}`,
    trend: `${rate(result.firstThirdPerSecond)}→${rate(result.lastThirdPerSecond)}`,
    latency: `${fixed(result.p50Ms, 1)} / ${fixed(result.p99Ms, 1)}`,
    cpu: `${pct(result.serverCpu)} (${fixed(result.serverCpuMsPerIteration, 2)} ms)`,
    rss: fixed(result.rssMbMax),
    fail: String(result.failureCount),
  };
}

const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '-');

/** Markdown table: one row per scenario and concurrency, Gatehouse then oidc-provider, then ratios. */
export function renderTable(rows, seconds) {
  const header = [
    'scenario',
    'c',
    'unit',
    'GH /s',
    'GH 1st→last ⅓',
    'GH p50 / p99 ms',
    'GH CPU (per op)',
    'GH RSS MB',
    'OP /s',
    'OP 1st→last ⅓',
    'OP p50 / p99 ms',
    'OP CPU (per op)',
    'OP RSS MB',
    'fail GH/OP',
    'rate GH/OP',
    'p99 GH/OP',
    'CPU/op GH/OP',
    'limit GH / OP',
  ];
  const lines = rows.map(({ scenario, unit, concurrency, gatehouse, peer }) => {
    const g = cell(gatehouse, seconds);
    const p = cell(peer, seconds);
    return [
      scenario,
      String(concurrency),
      unit,
      g.rate,
      g.trend,
      g.latency,
      g.cpu,
      g.rss,
      p.rate,
      p.trend,
      p.latency,
      p.cpu,
      p.rss,
      `${g.fail}/${p.fail}`,
      ratio(gatehouse?.perSecondAvg, peer?.perSecondAvg),
      ratio(gatehouse?.p99Ms, peer?.p99Ms),
      ratio(gatehouse?.serverCpuMsPerIteration, peer?.serverCpuMsPerIteration),
      `${gatehouse ? limitOf(gatehouse) : '-'} / ${peer ? limitOf(peer) : '-'}`,
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const format = (cells) => `| ${cells.map((text, i) => text.padEnd(widths[i])).join(' | ')} |`;
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}

const legend = (
  storage,
) => `GH = Gatehouse (${storage}), OP = oidc-provider (in memory). /s = completed units per second over the run; 1st→last ⅓ = the rate in the first and last third of the run
(flat or decaying); p50/p99 = latency of one unit (a whole flow for returning and first-sign-in); CPU = server
process CPU as a share of its pinned core, and CPU ms per unit; RSS = the server's largest resident set during the
run; * = the run ended early because its pre-minted codes ran out (the rate is over the time it ran); fail = units
whose checks failed. Ratios are Gatehouse / oidc-provider (rate: >1 is Gatehouse faster; p99 and
CPU/op: <1 is Gatehouse faster or cheaper). CPU/op is the least noisy figure on a shared machine: it does not depend
on how much of its core the server was given. limit: server = the server saturated its core; GENERATOR = the load generator saturated its core
while the server did not (the figure is a floor, not the server's limit); core shared = the server's core was busy
with other processes of this shared machine; waits = nothing saturated (the server waited, e.g. on fsync).`;

/** Sentences naming every run whose load generator, not the server, was the limit. */
export function generatorLimitedRuns(rows) {
  const notes = [];
  for (const row of rows) {
    for (const [name, result] of [
      ['Gatehouse', row.gatehouse],
      ['oidc-provider', row.peer],
    ]) {
      if (result && limitOf(result) === 'GENERATOR')
        notes.push(
          `${row.scenario} c=${row.concurrency} ${name}: the load generator was the limit (generator ${pct(result.generatorCpu)} of its core, server ${pct(result.serverCpu)}); the server's figure is a floor.`,
        );
    }
  }
  return notes;
}

/** Prints the table, the legend, the hash rates and every limit and failure; false if any check failed. */
export function printReport({ rows, hashRates, options, machine, startedAt }) {
  const storage =
    options.gatehouseDatabase === 'postgres'
      ? 'PostgreSQL'
      : `SQLite, synchronous=${options.gatehouseSynchronous ?? 'FULL (default)'}`;
  console.log(
    `\nrun of ${startedAt}: ${options.seconds} s per server and scenario after ${options.warmupSeconds} s warm-up;` +
      ` ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')} at the start; Gatehouse on ${storage}`,
  );
  console.log(renderTable(rows, options.seconds));
  console.log('');
  console.log(legend(storage));
  const top = Math.max(...options.concurrencies);
  if (hashRates.argon2id || hashRates.scrypt) {
    // Older result files hold the rate alone (a number).
    const hash = (value) =>
      typeof value === 'number'
        ? `${fixed(value, 1)}/s`
        : `${fixed(value?.perSecond, 1)}/s (${fixed(value?.cpuMsPerCheck, 1)} ms CPU per check)`;
    const flow = (server) => rows.find((row) => row.scenario === 'first-sign-in' && row.concurrency === top)?.[server];
    const flowText = (result) =>
      result
        ? `${fixed(result.perSecondAvg, 1)}/s (${fixed(result.serverCpuMsPerIteration, 1)} ms CPU per sign-in)`
        : '-';
    console.log(
      `\npassword hash alone on the server core (4 asked for at once): argon2id (Gatehouse: 19 MiB, t=2, p=1) ${hash(hashRates.argon2id)};` +
        ` scrypt (oidc-provider login form: N=2^14, r=8, p=1) ${hash(hashRates.scrypt)}.` +
        ` First sign-in at c=${top}: Gatehouse ${flowText(flow('gatehouse'))}, oidc-provider ${flowText(flow('peer'))}.`,
    );
  }
  const limited = generatorLimitedRuns(rows);
  console.log(limited.length ? `\n${limited.join('\n')}` : '\nThe load generator was not the limit in any run.');
  const failed = rows.flatMap((row) => [row.gatehouse, row.peer]).filter((result) => result?.failureCount > 0);
  for (const result of failed)
    console.log(
      `FAILURES ${result.server} ${result.scenario} c=${result.concurrency}: ${JSON.stringify(result.failures)}`,
    );
  return failed.length === 0;
}
