import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `gatehouse keys reencrypt` and the start-up refusal (issue 12, deliverable 5), through the
 * compiled CLI (`npx tsc -b packages/server` first).
 */
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let directory: string;
let database: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI; with `untilListening`, stops it (SIGTERM) once it says it is listening. */
function gatehouse(args: readonly string[], env: Record<string, string> = {}, untilListening = false): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--database', database], {
      env: { ...base, GATEHOUSE_METRICS_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (untilListening && stdout.includes('"listening":')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'gh-kek-'));
  database = join(directory, 'gatehouse.sqlite');
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('signing keys at rest through the CLI', () => {
  const kek = randomBytes(32).toString('base64');
  const kekFile = () => join(directory, 'kek');

  it('keys reencrypt seals every key (both algorithms, current and retired) under the key from --new-key-file', async () => {
    expect((await gatehouse(['migrate'])).code).toBe(0);
    expect(
      (
        await gatehouse([
          'tenant',
          'create',
          '--id',
          'ACME1',
          '--name',
          'Acme',
          '--api-domain',
          'https://api.acme.example',
        ])
      ).code,
    ).toBe(0);
    expect((await gatehouse(['keys', 'rotate', '--tenant', 'ACME1'])).code).toBe(0);
    await writeFile(kekFile(), `${kek}\n`, { mode: 0o600 });
    const run = await gatehouse(['keys', 'reencrypt', '--new-key-file', kekFile(), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ keys: 4, previous_kek_fingerprint: null });
  });

  it('start refuses with one plain line when the keys are encrypted and no key-encryption key is set', async () => {
    const run = await gatehouse(['start', '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'gatehouse: refusing to start: the signing keys are encrypted at rest, but no key-encryption key is set: set GATEHOUSE_KEY_ENCRYPTION_KEY or GATEHOUSE_KEY_ENCRYPTION_KEY_FILE\n',
    );
  });

  it('start refuses a wrong key-encryption key, and a malformed one', async () => {
    const wrong = await gatehouse(['start', '--port', '0'], {
      GATEHOUSE_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^gatehouse: refusing to start: the key-encryption key is not the one the signing keys were encrypted with/,
    );
    const malformed = await gatehouse(['start', '--port', '0'], { GATEHOUSE_KEY_ENCRYPTION_KEY: 'hunter2' });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^gatehouse: GATEHOUSE_KEY_ENCRYPTION_KEY must hold a 256-bit key/);
  });

  it('starts with the right key from GATEHOUSE_KEY_ENCRYPTION_KEY_FILE', async () => {
    const run = await gatehouse(
      ['start', '--port', '0', '--json'],
      { GATEHOUSE_KEY_ENCRYPTION_KEY_FILE: kekFile() },
      true,
    );
    expect(run.stdout).toContain('"listening":');
    expect(run.stderr).not.toContain('refusing');
  });

  it('keys reencrypt moves the keys to a new key-encryption key; then only the new one starts the server', async () => {
    const newKek = randomBytes(32).toString('hex');
    const run = await gatehouse(['keys', 'reencrypt', '--json'], {
      GATEHOUSE_KEY_ENCRYPTION_KEY_FILE: kekFile(),
      GATEHOUSE_NEW_KEY_ENCRYPTION_KEY: newKek,
    });
    expect(run.code).toBe(0);
    // The tenant's four keys and the two of the administration tenant the first start made.
    expect(JSON.parse(run.stdout).keys).toBe(6);
    const old = await gatehouse(['start', '--port', '0'], { GATEHOUSE_KEY_ENCRYPTION_KEY_FILE: kekFile() });
    expect(old.code).toBe(1);
    const started = await gatehouse(['start', '--port', '0', '--json'], { GATEHOUSE_KEY_ENCRYPTION_KEY: newKek }, true);
    expect(started.stdout).toContain('"listening":');
  });

  it('keys reencrypt without a new key says which flag is missing', async () => {
    const run = await gatehouse(['keys', 'reencrypt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /new key-encryption key is required \(--new-key-file PATH or GATEHOUSE_NEW_KEY_ENCRYPTION_KEY\)/,
    );
  });
});
