// Gatehouse load benchmark: starts the built server on 127.0.0.1 with a throw-away SQLite
// database (or GATEHOUSE_BENCH_DATABASE=postgres://...), and measures the hot endpoints with
// a bounded number of requests over keep-alive connections. Loopback only; stops by itself.
//
//   npm run bench                       # defaults: 2000 requests per scenario, 16 in flight
//   BENCH_REQUESTS=5000 BENCH_CONCURRENCY=32 npm run bench
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { createContext, DEMO, loadConfig, migrateToLatest, openDatabase, seedDemo } from '@gatehouse/server';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PORT = Number(process.env.BENCH_PORT ?? 18_480);
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const databaseUrl = process.env.GATEHOUSE_BENCH_DATABASE ?? join(dataDir, 'bench.sqlite');

// The bench process seeds and mints test data straight into the database; the server runs in
// its own process (as in production), so load generation and serving use separate cores.
const config = loadConfig({ database: databaseUrl, publicUrl: `http://127.0.0.1:${PORT}` }, {});
const database = openDatabase(databaseUrl);
await migrateToLatest(database.db);
const context = await createContext(config, database);
await seedDemo(context);
const child = spawn(
  process.execPath,
  [
    'packages/server/dist/cli.js',
    'start',
    '--port',
    String(PORT),
    '--public-url',
    config.publicUrl,
    '--database',
    databaseUrl,
  ],
  {
    env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await new Promise((resolve, reject) => {
  child.stdout.on('data', (chunk) => String(chunk).includes('listening') && resolve());
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const server = { port: PORT, context, database };
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const realm = `${DEMO.tenantId}-U`;
const base = `/system/auth/${realm}`;
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        agent,
        headers: {
          ...(body
            ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Runs `count` requests made by `make(i)` with CONCURRENCY in flight; returns throughput and latency percentiles. */
async function measure(name, count, make, expectStatus) {
  const latencies = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const res = await make(i);
        latencies.push(performance.now() - t0);
        if (res.status !== expectStatus) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
  return {
    scenario: name,
    requests: count,
    'req/s': Math.round(count / seconds),
    'p50 ms': pct(50),
    'p99 ms': pct(99),
    failures,
  };
}

// Codes are minted straight into the store (the login form is argon2-bound by design, not a hot path);
// the person has consented, as refresh requires.
const user = await server.context.repos.users.findByUsername(DEMO.tenantId, 'user', DEMO.agent.username);
await server.context.repos.consents.grant(
  {
    tenantId: DEMO.tenantId,
    realmId: realm,
    userId: user.id,
    clientId: DEMO.clientId,
    scopes: ['core.aiservices.read', 'core.aiservices.write'],
  },
  Math.floor(Date.now() / 1000),
);
async function mintCodes(n) {
  const now = Math.floor(Date.now() / 1000);
  const codes = [];
  for (let i = 0; i < n; i++) {
    const code = randomBytes(32).toString('base64url');
    await server.context.repos.codes.insert({
      codeHash: createHash('sha256').update(code).digest('hex'),
      realmId: realm,
      tenantId: DEMO.tenantId,
      clientId: DEMO.clientId,
      userId: user.id,
      sessionId: null,
      redirectUri: DEMO.redirectUris[0],
      scopes: ['core.aiservices.read', 'core.aiservices.write'],
      codeChallenge: challenge,
      nonce: null,
      authTime: now,
      expiresAt: now + 3600,
    });
    codes.push(code);
  }
  return codes;
}
const codeForm = (code) =>
  new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: DEMO.redirectUris[0],
    client_id: DEMO.clientId,
    code_verifier: verifier,
  }).toString();

const results = [];
results.push(
  await measure('GET discovery', REQUESTS, () => request('GET', `${base}/.well-known/openid-configuration`), 200),
);
results.push(await measure('GET jwks', REQUESTS, () => request('GET', `${base}/oauth2/jwks`), 200));
const codes = await mintCodes(REQUESTS);
const refreshTokens = [];
results.push(
  await measure(
    'POST token (authorization_code + PKCE)',
    REQUESTS,
    async (i) => {
      const res = await request('POST', `${base}/oauth2/token`, codeForm(codes[i]));
      if (res.status === 200) refreshTokens.push(JSON.parse(res.body).refresh_token);
      return res;
    },
    200,
  ),
);
results.push(
  await measure(
    'POST token (refresh_token rotation)',
    refreshTokens.length,
    (i) =>
      request(
        'POST',
        `${base}/oauth2/token`,
        new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshTokens[i],
          client_id: DEMO.clientId,
        }).toString(),
      ),
    200,
  ),
);

// A signed-in person with consent on record: authorize answers with the code redirect at once.
const session = randomBytes(32).toString('base64url');
const now = Math.floor(Date.now() / 1000);
await server.context.repos.sessions.insert(
  createHash('sha256').update(session).digest('hex'),
  { realmId: realm, tenantId: DEMO.tenantId, userId: user.id, authTime: now, expiresAt: now + 3600 },
  now,
);
const authorizeQuery = new URLSearchParams({
  client_id: DEMO.clientId,
  response_type: 'code',
  redirect_uri: DEMO.redirectUris[0],
  scope: 'core.aiservices.read core.aiservices.write',
  state: 'a1b2c3d4e5f67890',
  code_challenge: challenge,
  code_challenge_method: 'S256',
}).toString();
results.push(
  await measure(
    'GET authorize (signed in, consent on record)',
    REQUESTS,
    () => request('GET', `${base}/oauth2/authorize?${authorizeQuery}`, undefined, { cookie: `gh_session=${session}` }),
    303,
  ),
);

console.log(
  `Gatehouse ${server.database.dialect}, ${CONCURRENCY} concurrent keep-alive connections, client and server on the same ${(await import('node:os')).cpus().length}-core machine`,
);
console.table(results);
agent.destroy();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
await database.close();
rmSync(dataDir, { recursive: true, force: true });
if (results.some((r) => r.failures > 0)) process.exitCode = 1;
