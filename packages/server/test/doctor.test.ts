import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/admin/clients.js';
import { type Finding, formatDoctorReport, runDoctor } from '../src/admin/doctor.js';
import { createTestServer, TENANT, type TestServer, type TestServerOptions } from './support/harness.js';

/** Issue 12, deliverable 7: `gatehouse doctor`. */
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function doctor(config: TestServerOptions['config'] = {}, prepare?: (s: TestServer) => Promise<void>) {
  server = await createTestServer({ config });
  await server.context.keys.ensureKey(TENANT);
  await prepare?.(server);
  return runDoctor(server.context);
}

const ids = (findings: readonly Finding[]) => findings.map((finding) => `${finding.level}:${finding.id}`).sort();

describe('gatehouse doctor', () => {
  it('on a developer setup: http on localhost and keys in clear are warnings, an unused scope a notice, no errors', async () => {
    const report = await doctor();
    expect(ids(report.findings)).toEqual([
      'notice:scope-unused',
      'warning:cookies-not-secure',
      'warning:public-url-not-https',
      'warning:signing-keys-not-encrypted',
    ]);
    expect(report.errors).toBe(0);
    expect(report.findings.find((f) => f.id === 'scope-unused')?.message).toContain('core.aiservices.manage');
    for (const finding of report.findings) {
      expect(finding.rule).toMatch(/RFC \d+|OAuth 2\.1|NIST/);
      expect(finding.fix.length).toBeGreaterThan(10);
    }
  });

  it('finds nothing wrong with https, encrypted keys and every scope held', async () => {
    const report = await doctor(
      { publicUrl: 'https://auth.example.test', keyEncryptionKey: randomBytes(32).toString('base64') },
      async (s) => {
        await createClient(s.context, {
          tenant: TENANT,
          name: 'Manager',
          platform: 'spa',
          resourceType: 'global',
          redirectUris: ['https://manage.example.test/cb'],
          scopes: ['core.aiservices.manage'],
        });
      },
    );
    expect(report.findings).toEqual([]);
  });

  it('reports a public http URL and cookies without Secure as errors off localhost', async () => {
    const report = await doctor({ publicUrl: 'http://auth.example.com' });
    expect(ids(report.findings)).toEqual(
      expect.arrayContaining(['error:cookies-not-secure', 'error:public-url-not-https']),
    );
    expect(report.errors).toBe(2);
  });

  it('reports a client with a non-loopback http redirect URI (error) and one with a refresh grace window (warning)', async () => {
    const report = await doctor({ publicUrl: 'https://auth.example.test' }, async (s) => {
      const { client } = await createClient(s.context, {
        tenant: TENANT,
        name: 'Graceful',
        platform: 'spa',
        resourceType: 'global',
        redirectUris: ['https://grace.example.test/cb'],
        scopes: ['core.aiservices.manage'],
        refreshGraceSeconds: 10,
      });
      // Registered before the rules were enforced: written straight to the table.
      await s.context.repos.clients.insert(
        {
          ...client,
          clientId: '99999999-8888-4777-8666-555555555555',
          name: 'Legacy',
          redirectUris: ['http://legacy.example.com/cb', 'http://localhost:3000/cb'],
          refreshTokens: { ...client.refreshTokens, graceSeconds: 0 },
        },
        s.clock.nowSeconds(),
      );
    });
    const http = report.findings.find((f) => f.id === 'client-http-redirect-uri');
    expect(http).toMatchObject({ level: 'error' });
    expect(http?.message).toContain('http://legacy.example.com/cb');
    expect(http?.message).not.toContain('localhost');
    expect(report.findings.find((f) => f.id === 'client-refresh-grace')?.message).toContain('Graceful');
  });

  it('reports signing keys older than the set age', async () => {
    server = await createTestServer({ config: { publicUrl: 'https://auth.example.test' } });
    await server.context.keys.ensureKey(TENANT);
    server.clock.advance(31 * 86_400);
    expect(ids((await runDoctor(server.context, { maxKeyAgeDays: 30 })).findings)).toContain(
      'warning:signing-keys-old',
    );
    expect(ids((await runDoctor(server.context)).findings)).not.toContain('warning:signing-keys-old');
  });

  it('reports PostgreSQL reached without TLS on another host, and SQLite without synchronous=FULL', async () => {
    const noTls = await doctor({ database: 'postgres://gh@db.internal.example:5432/gatehouse' });
    expect(ids(noTls.findings)).toContain('error:postgres-without-tls');
    await server?.close();
    const tls = await doctor({ database: 'postgres://gh@db.internal.example:5432/gatehouse?sslmode=verify-full' });
    expect(ids(tls.findings)).not.toContain('error:postgres-without-tls');
    await server?.close();
    const local = await doctor({ database: 'postgres://gh@127.0.0.1:5432/gatehouse' });
    expect(ids(local.findings)).not.toContain('error:postgres-without-tls');
    await server?.close();
    const normal = await doctor({ sqliteSynchronous: 'NORMAL' });
    expect(ids(normal.findings)).toContain('warning:sqlite-not-synchronous-full');
  });

  it('prints each finding with its rule and fix, errors first, and a summary line', async () => {
    const text = formatDoctorReport(await doctor({ publicUrl: 'http://auth.example.com' }));
    expect(text.split('\n')[0]).toMatch(/^ERROR {3}(public-url-not-https|cookies-not-secure): /);
    expect(text).toContain('        rule: OAuth 2.1 §1.5');
    expect(text).toMatch(/doctor: 2 error\(s\), 1 warning\(s\), 1 notice\(s\)$/);
  });
});

describe('gatehouse doctor through the CLI', () => {
  const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  function run(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_')));
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
  }

  it('exits 1 with --json findings when anything is at error level, 0 otherwise', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'gh-doctor-'));
    try {
      const database = join(directory, 'gatehouse.sqlite');
      expect((await run(['migrate', '--database', database])).code).toBe(0);
      const bad = await run(['doctor', '--json', '--database', database, '--public-url', 'http://auth.example.com']);
      expect(bad.code).toBe(1);
      const report = JSON.parse(bad.stdout);
      expect(report.errors).toBe(2);
      expect(report.findings.map((f: Finding) => f.id)).toContain('public-url-not-https');
      const good = await run(['doctor', '--database', database, '--public-url', 'https://auth.example.com']);
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/doctor: 0 error\(s\)/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
