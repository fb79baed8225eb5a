import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../src/admin/demo.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { obtainTokens } from './support/browser.js';
import { SEED_CHALLENGE } from './support/harness.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const directories: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-admin-demo-'));
  directories.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

describe('the demo console operator (npm start)', () => {
  it('start --demo creates the operator, who signs in to GATEHOUSE-U and calls the admin API over a socket', async () => {
    const config = loadConfig(
      { port: 0, metricsPort: 0, publicUrl: 'http://127.0.0.1:1', database: join(tempDir(), 'g.sqlite') },
      {},
    );
    const server = await startServer(config, { seedDemo, logger: false });
    try {
      const tokens = await obtainTokens(
        server.app,
        `${config.publicUrl}/system/auth/GATEHOUSE-U`,
        {
          client_id: 'gatehouse-console',
          response_type: 'code',
          redirect_uri: `${config.publicUrl}/admin/callback`,
          scope: 'openid gatehouse.admin',
          code_challenge: SEED_CHALLENGE,
          code_challenge_method: 'S256',
        },
        DEMO.operator,
      );
      const response = await fetch(`http://127.0.0.1:${server.port}/admin/api/v1/tenants`, {
        headers: { authorization: `Bearer ${String(tokens.access_token)}` },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { items: { id: string }[] }).items.map((t) => t.id)).toEqual([DEMO.tenantId]);
    } finally {
      await server.close();
    }
  });

  it('gatehouse start --demo --json prints the console URL and the operator credentials', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'start',
        '--demo',
        '--port',
        '0',
        '--metrics-port',
        '0',
        '--json',
        '--database',
        join(tempDir(), 'g.sqlite'),
        '--public-url',
        'https://auth.example.test',
      ],
      {
        env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_'))),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const summary = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        // Log lines share stdout; the summary is the one naming the console.
        const summary = buffered.split('\n').find((line) => line.includes('"console_url"'));
        if (summary) resolve(summary);
      });
      child.on('exit', (code) => reject(new Error(`gatehouse start exited with ${code}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(JSON.parse(summary)).toMatchObject({
      public_url: 'https://auth.example.test',
      console_url: 'https://auth.example.test/admin/',
      operator: { username: 'operator', password: 'operator-demo-pass' },
    });
  });
});
