import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The compiled CLI: `npm test` builds first; by hand, run `npx tsc -b packages/server`.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

let directory: string;
let database: string;

function gatehouse(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--database', database], { cwd: directory, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'gatehouse-cli-branding-'));
  database = join(directory, 'gatehouse.sqlite');
  expect((await gatehouse(['migrate'])).code).toBe(0);
  const created = await gatehouse([
    'tenant',
    'create',
    '--id',
    'ACME1',
    '--name',
    'Acme',
    '--api-domain',
    'https://api.acme.example',
  ]);
  expect(created.code).toBe(0);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('gatehouse tenant branding (issue 11)', () => {
  it('sets display name, https logo and primary colour, and changes only the fields given later', async () => {
    const set = await gatehouse([
      'tenant',
      'branding',
      '--tenant',
      'ACME1',
      '--display-name',
      'Acme Help Centre',
      '--logo-url',
      'https://cdn.acme.example/logo.svg',
      '--primary-color',
      '#0B6E4F',
      '--json',
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      tenant: 'ACME1',
      branding: {
        displayName: 'Acme Help Centre',
        logoUrl: 'https://cdn.acme.example/logo.svg',
        primaryColor: '#0b6e4f',
      },
    });
    const colourOnly = await gatehouse([
      'tenant',
      'branding',
      '--tenant',
      'ACME1',
      '--primary-color',
      '#d96c00',
      '--json',
    ]);
    expect(JSON.parse(colourOnly.stdout).branding).toEqual({
      displayName: 'Acme Help Centre',
      logoUrl: 'https://cdn.acme.example/logo.svg',
      primaryColor: '#d96c00',
    });
    const cleared = await gatehouse(['tenant', 'branding', '--tenant', 'ACME1', '--logo-url', '', '--json']);
    expect(JSON.parse(cleared.stdout).branding).toEqual({ displayName: 'Acme Help Centre', primaryColor: '#d96c00' });
  });

  it.each([
    [['--logo-url', 'http://cdn.acme.example/logo.png'], 'logo URL must be an absolute https:// URL'],
    [['--primary-color', '#ffff00'], 'primary colour #ffff00 is unreadable on the white page (contrast 1.07:1'],
    [['--primary-color', 'blue'], 'primary colour must be #RRGGBB'],
  ])('refuses %o with exit code 2', async (flags, message) => {
    const refused = await gatehouse(['tenant', 'branding', '--tenant', 'ACME1', ...flags]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(message);
  });

  it('refuses an unknown tenant', async () => {
    const refused = await gatehouse(['tenant', 'branding', '--tenant', 'NOPE', '--display-name', 'x']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown tenant NOPE');
  });
});
