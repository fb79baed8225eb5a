// `npm run bench`: Gatehouse and oidc-provider side by side, one after the other, each pinned to
// one core with this process (the load generator) pinned to the other, a fresh server per
// scenario, the same real flows against both. See docs/performance.md for how to read the output.
//
//   npm run bench                          every scenario, c=8 and c=32, 60 s each
//   npm run bench -- --quick               5 s runs (a smoke test of the whole harness)
//   npm run bench -- --seconds 20 --only returning,exchange --concurrency 32
//   scenarios (--only): returning, exchange, refresh, first-sign-in, discovery, jwks
//   options: --servers gatehouse,oidc-provider  --warmup S  --out FILE  --synchronous NORMAL (Gatehouse's
//   SQLite, default: the server's own, FULL)  --database postgres://… (Gatehouse on PostgreSQL: databases
//   gatehouse_bench_* created and dropped there)  --report FILE (print the table of an earlier run's JSON)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareGatehouse, startGatehouse } from './lib/gatehouse.mjs';
import { measureHashRate } from './lib/hash-rate.mjs';
import { createClient } from './lib/http.mjs';
import { runLoad } from './lib/load.mjs';
import { describeMachine } from './lib/machine.mjs';
import { preparePeer, startPeer } from './lib/peer.mjs';
import { pinSelf } from './lib/processes.mjs';
import { printReport } from './lib/report.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';

const HERE = dirname(new URL(import.meta.url).pathname);
const OIDC_PROVIDER_VERSION = JSON.parse(
  readFileSync(join(HERE, '../node_modules/oidc-provider/package.json'), 'utf8'),
).version;
const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    concurrency: { type: 'string' },
    servers: { type: 'string' },
    warmup: { type: 'string' },
    out: { type: 'string' },
    synchronous: { type: 'string' },
    database: { type: 'string' },
    report: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (flags.help) {
  // The usage is this file's header comment.
  const header = readFileSync(new URL(import.meta.url), 'utf8').split('\nimport ')[0];
  process.stdout.write(`${header.replace(/^\/\/ ?/gm, '')}\n`);
  process.exit(0);
}
if (flags.report) {
  // Re-print the table of an earlier run from its JSON.
  process.exit(printReport(JSON.parse(readFileSync(flags.report, 'utf8'))) ? 0 : 1);
}

const seconds = Number(flags.seconds ?? (flags.quick ? 5 : 60));
const warmupSeconds = Number(flags.warmup ?? (flags.quick ? 1 : 5));
const hashSeconds = flags.quick ? 2 : 5;
const concurrencies = (flags.concurrency ?? '8,32').split(',').map(Number);
const scenarioNames = flags.only ? flags.only.split(',') : Object.keys(SCENARIOS);
const serverNames = flags.servers ? flags.servers.split(',') : ['gatehouse', 'oidc-provider'];
const outFile = flags.out ?? join(HERE, 'results/latest.json');
const synchronous = flags.synchronous;
if (synchronous !== undefined && synchronous !== 'FULL' && synchronous !== 'NORMAL')
  throw new Error('--synchronous is FULL or NORMAL');
for (const name of scenarioNames)
  if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
for (const name of serverNames)
  if (name !== 'gatehouse' && name !== 'oidc-provider') throw new Error(`unknown server ${name}`);
if (!(seconds > 0) || !(warmupSeconds >= 0) || concurrencies.some((c) => !(c > 0))) throw new Error('bad options');
if (seconds > 400) throw new Error('--seconds above 400 would outlive the pre-minted codes (600 s lifetime)');

const machine = describeMachine();
// The server gets core 0, this process (the generator, all of its threads) core 1.
const cores = machine.nproc >= 2 ? { server: 0, generator: 1 } : { server: 0, generator: 0 };
if (machine.nproc < 2) console.warn('one core only: server and generator share it; ratios still hold, rates do not');
pinSelf(cores.generator);

// Rough wall time: per run the warm-up, the run, ~15 s of start-up and sign-ins; the exchange
// scenario also mints its codes (about three times as long as its run); hash rates once per server.
const runs = scenarioNames.length * concurrencies.length * serverNames.length;
const perRun = seconds + warmupSeconds + 15;
const minting = scenarioNames.includes('exchange') ? concurrencies.length * serverNames.length * (seconds * 3) : 0;
const hashing = scenarioNames.includes('first-sign-in') ? serverNames.length * hashSeconds : 0;
const estimate = runs * perRun + minting + hashing + 10;
console.log(
  `bench: ${scenarioNames.join(', ')} × c=${concurrencies.join(',')} × ${serverNames.join(' + ')} = ${runs} runs of ${seconds} s` +
    ` (+${warmupSeconds} s warm-up each); estimated ${Math.ceil(estimate / 60)} min.`,
);
console.log(`oidc-provider ${OIDC_PROVIDER_VERSION}`);
console.log(
  `machine: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}; server on core ${cores.server}, generator on core ${cores.generator}`,
);

const gatehouse = serverNames.includes('gatehouse') ? await prepareGatehouse(flags.database) : undefined;
const peer = serverNames.includes('oidc-provider') ? preparePeer() : undefined;
if (gatehouse && !gatehouse.idTokenAlgFlag)
  console.log('gatehouse: the CLI has no --id-token-alg flag; ES256 is its only ID Token algorithm');

let runNumber = 0;
async function runOne(serverName, scenarioName, concurrency) {
  const scenario = SCENARIOS[scenarioName];
  const options = { core: cores.server, codeTtlSeconds: scenario.codeTtlSeconds, run: ++runNumber, synchronous };
  const server = serverName === 'gatehouse' ? await startGatehouse(gatehouse, options) : await startPeer(peer, options);
  const { target, proc } = server;
  const client = createClient(target.origin, concurrency);
  try {
    const users = await scenario.setup({ target, client, concurrency });
    const ctx = { target, client, users };
    const load = (runSeconds) =>
      runLoad({
        seconds: runSeconds,
        concurrency,
        users,
        iteration: scenario.iteration(ctx),
        recover: scenario.recover?.(ctx),
        shouldStop: scenario.shouldStop?.(ctx),
        serverPid: proc.pid,
        cores,
      });
    let minted;
    if (scenario.prePhase) ctx.pool = await scenario.prePhase({ ...ctx, seconds: warmupSeconds + 1 });
    const warm = warmupSeconds > 0 ? await load(warmupSeconds) : undefined;
    if (scenario.prePhase) {
      // Enough codes for the whole run at the warm-up's pace, with a margin; the run stops
      // early (and says so) if the pool still runs dry.
      // A short warm-up (--quick) underestimates the pace: a wider margin then.
      const margin = warmupSeconds >= 5 ? 2 : 3;
      const count = Math.ceil((warm?.perSecondAvg ?? 1000) * seconds * margin) + concurrency;
      const started = Date.now();
      ctx.pool = await scenario.prePhase({ ...ctx, seconds: 540 - seconds, count });
      minted = { codes: ctx.pool.length, seconds: (Date.now() - started) / 1000 };
    }
    const result = await load(seconds);
    const summary = `${serverName} ${scenarioName} c=${concurrency}: ${result.perSecondAvg.toFixed(1)} ${scenario.unit}/s, p99 ${result.p99Ms?.toFixed(1)} ms, server CPU ${(result.serverCpu * 100).toFixed(0)}%, generator ${(result.generatorCpu * 100).toFixed(0)}%, failures ${result.failureCount}`;
    console.log(`${summary}${result.seconds < seconds - 0.5 ? ` (ran ${result.seconds} s: code pool exhausted)` : ''}`);
    return { server: serverName, scenario: scenarioName, concurrency, unit: scenario.unit, minted, ...result };
  } catch (error) {
    // A run that cannot even start its flows: the server's own log says why.
    console.error(`${serverName} ${scenarioName} c=${concurrency} failed; the server's output:\n${proc.output()}`);
    throw error;
  } finally {
    client.close();
    await proc.stop();
    await server.discard();
  }
}

const started = new Date();
const hashRates = {};
const rows = [];
try {
  for (const scenarioName of scenarioNames) {
    if (scenarioName === 'first-sign-in') {
      if (gatehouse)
        hashRates.argon2id = await measureHashRate('argon2id', { core: cores.server, seconds: hashSeconds });
      if (peer) hashRates.scrypt = await measureHashRate('scrypt', { core: cores.server, seconds: hashSeconds });
    }
    for (const concurrency of concurrencies) {
      const row = { scenario: scenarioName, unit: SCENARIOS[scenarioName].unit, concurrency };
      // Alternating the servers inside each row lets both meet the shared machine's same mood.
      if (gatehouse) row.gatehouse = await runOne('gatehouse', scenarioName, concurrency);
      if (peer) row.peer = await runOne('oidc-provider', scenarioName, concurrency);
      rows.push(row);
    }
  }
} finally {
  await gatehouse?.store.close();
}

mkdirSync(dirname(outFile), { recursive: true });
const report = {
  startedAt: started.toISOString(),
  finishedAt: new Date().toISOString(),
  machine,
  cores,
  options: {
    seconds,
    warmupSeconds,
    concurrencies,
    scenarios: scenarioNames,
    servers: serverNames,
    gatehouseDatabase: gatehouse?.store.dialect ?? null,
    gatehouseSynchronous: synchronous ?? 'FULL (default)',
  },
  versions: { oidcProvider: OIDC_PROVIDER_VERSION, gatehouseIdTokenAlgFlag: gatehouse?.idTokenAlgFlag ?? null },
  hashRates,
  rows,
};
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${outFile}`);
if (!printReport(report)) process.exitCode = 1;
