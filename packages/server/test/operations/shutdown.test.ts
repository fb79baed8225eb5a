import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../src/admin/demo.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { hashOpaqueSecret } from '../../src/protocol/secrets.js';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { SEED_CHALLENGE, SEED_VERIFIER } from '../support/harness.js';
import { freePorts } from '../support/ports.js';

// The compiled CLI: `npm test` builds first; by hand, run `npx tsc -b packages/server`.
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const CODE = 'shutdown-test-authorization-code-0123456789';
const REDIRECT_URI = 'http://localhost:5173/callback';

let dir: string;
let database: string;

/** The demo data plus one authorization code, written straight into the database the server will use. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-shutdown-'));
  database = join(dir, 'gatehouse.sqlite');
  const handle = openDatabase(database);
  try {
    await migrateToLatest(handle.db);
    const ctx = await createContext(loadConfig({ database }, {}), handle);
    await seedDemo(ctx);
    const agent = await ctx.repos.users.findByUsername(DEMO.tenantId, 'user', DEMO.agent.username);
    const now = Math.floor(Date.now() / 1000);
    const grant = {
      tenantId: DEMO.tenantId,
      realmId: `${DEMO.tenantId}-U`,
      userId: agent!.id,
      clientId: DEMO.clientId,
    };
    await ctx.repos.consents.grant({ ...grant, scopes: ['core.aiservices.read'] }, now);
    await ctx.repos.codes.insert({
      codeHash: hashOpaqueSecret(CODE),
      realmId: `${DEMO.tenantId}-U`,
      tenantId: DEMO.tenantId,
      clientId: DEMO.clientId,
      userId: agent!.id,
      sessionId: null,
      redirectUri: REDIRECT_URI,
      scopes: ['core.aiservices.read'],
      codeChallenge: SEED_CHALLENGE,
      nonce: null,
      authTime: now,
      expiresAt: now + 600,
    });
  } finally {
    await handle.close();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startGatehouse(
  port: number,
  flags: string[] = [],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'start', '--database', database, '--port', String(port), ...flags], {
    env: { ...process.env, GATEHOUSE_METRICS_PORT: '0', GATEHOUSE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** Resolves true once a new connection to the port is refused: the listener has closed. */
async function waitUntilRefused(port: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('graceful shutdown (issue 10)', () => {
  it('on SIGTERM stops accepting connections, answers the token request in flight, closes and logs one line', async () => {
    const [port] = await freePorts(1);
    const gatehouse = startGatehouse(port!);
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, gatehouse.child);

    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT_URI,
      client_id: DEMO.clientId,
      code_verifier: SEED_VERIFIER,
    }).toString();
    const socket: Socket = connect(port!, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    // The request is in flight: headers and all but the last byte of the body are sent.
    socket.write(
      [
        `POST /system/auth/${DEMO.tenantId}-U/oauth2/token HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body.slice(0, -1),
      ].join('\r\n'),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));

    gatehouse.child.kill('SIGTERM');
    await waitUntilRefused(port!);
    expect(gatehouse.child.exitCode).toBeNull();

    // write, not end: a half-closed socket would tell the server the client has gone.
    socket.write(body.slice(-1));
    await ended;
    const [head, json] = response.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(Object.keys(JSON.parse(json!)).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);

    expect(await gatehouse.exited).toBe(0);
    const stopped = gatehouse
      .output()
      .split('\n')
      .filter((line) => line.includes('Gatehouse stopped'));
    expect(stopped).toHaveLength(1);
    expect(JSON.parse(stopped[0]!)).toMatchObject({
      level: 30,
      reason: 'SIGTERM',
      timedOut: false,
      msg: 'Gatehouse stopped (SIGTERM): requests in flight answered, database closed',
    });
  });

  it('cuts off a request still unfinished after --shutdown-timeout, then exits with code 0', async () => {
    const [port] = await freePorts(1);
    const gatehouse = startGatehouse(port!, ['--shutdown-timeout', '1']);
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, gatehouse.child);
    // A client that never finishes its request body.
    const socket: Socket = connect(port!, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('error', () => undefined);
    const ended = new Promise((resolve) => socket.once('close', resolve));
    socket.write(
      `POST /system/auth/${DEMO.tenantId}-U/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    gatehouse.child.kill('SIGTERM');
    await ended;
    expect(await gatehouse.exited).toBe(0);
    const stopped = gatehouse
      .output()
      .split('\n')
      .filter((line) => line.includes('Gatehouse stopped'));
    expect(stopped).toHaveLength(1);
    expect(JSON.parse(stopped[0]!)).toMatchObject({ reason: 'SIGTERM', timedOut: true });
  });
});
