import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from './support/browser.js';
import { freePorts } from './support/stack.js';

/**
 * The packages as an outside developer gets them (issue 10): `npm pack` of @gatehouse/spa,
 * @gatehouse/resource and @gatehouse/server, the tarballs installed into a new project in the
 * system's temporary directory (its own package.json, no workspace links), the minimal SPA of
 * e2e/packages-app built with Vite and its Fastify API compiled with TypeScript from them, and a
 * sign-in, an API call and a sign-out in headless Chromium against a running Gatehouse (the
 * installed one when PostgreSQL is available).
 * docs/integrate-spa.md quotes the same two files.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'packages/server/dist/cli.js');
const APP_SOURCES = join(ROOT, 'e2e/packages-app');
const PACKAGES = ['spa', 'resource', 'server'] as const;
const TENANT = 'PKGTEST01';
const SCOPE = 'core.aiservices.read';
const USER = { username: 'pat', password: 'pat-packages-pass' };
/** npm install may fetch the apps' own dependencies (fastify, vite, typescript) from the registry. */
const INSTALL_TIMEOUT_MS = 240_000;
const READY_TIMEOUT_MS = 30_000;
/** Set by .ci/run: then Gatehouse runs from the installed tarball, on PostgreSQL. */
const POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL;

interface PackResult {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: readonly { path: string }[];
}

let dir: string;
let packed: PackResult[];
const services: ChildProcess[] = [];
let browser: Browser | undefined;
/** The PostgreSQL database made for this run, dropped at the end. */
let createdDatabase: string | undefined;

beforeAll(async () => {
  for (const name of PACKAGES) {
    if (!existsSync(join(ROOT, `packages/${name}/dist/index.js`)))
      throw new Error(`packages/${name}/dist is missing: run \`npm run build\` first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-packages-'));
  // --ignore-scripts: `npm test` has built dist/ already, and a second `tsc -b` from here could
  // race another suite's build. A person running `npm pack` gets the build from `prepack`.
  const output = await run(
    'npm',
    [
      'pack',
      '--json',
      '--ignore-scripts',
      '--pack-destination',
      dir,
      ...PACKAGES.flatMap((p) => ['-w', `packages/${p}`]),
    ],
    { cwd: ROOT },
  );
  packed = JSON.parse(output);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await Promise.all(services.map(stop));
  if (createdDatabase) await dropDatabase(POSTGRES_URL!, createdDatabase);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs each package with its built dist/, type declarations, README and LICENSE, and no sources or tests', () => {
    expect(packed.map((result) => result.name)).toEqual(['@gatehouse/spa', '@gatehouse/resource', '@gatehouse/server']);
    for (const result of packed) {
      const files = result.files.map((file) => file.path);
      expect(files).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']),
      );
      expect(files.filter((file) => /^src\/|\.test\.|\/testing\/|\.map$|tsbuildinfo/.test(file))).toEqual([]);
      expect(result.version).toMatch(/^\d+\.\d+\.\d+/);
    }
    expect(packed[2]!.files.map((file) => file.path)).toContain('bin/gatehouse.js');
  });

  it('publishes each package under one license, with exports, files and a README opening with install and import lines', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    for (const name of PACKAGES) {
      const manifest = JSON.parse(readFileSync(join(ROOT, `packages/${name}/package.json`), 'utf8'));
      expect(manifest.private).toBeUndefined();
      expect(manifest.license).toBe('MIT');
      expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
      expect(manifest.files).toContain('dist');
      expect(manifest.engines.node).toBe('>=20.19');
      expect(readFileSync(join(ROOT, `packages/${name}/LICENSE`), 'utf8')).toBe(license);
      const readme = readFileSync(join(ROOT, `packages/${name}/README.md`), 'utf8');
      expect(readme).toMatch(
        new RegExp(
          `^# @gatehouse/${name}\\n\\n\`\`\`sh\\nnpm install @gatehouse/${name}\\n\`\`\`\\n\\n\`\`\`ts\\nimport .* from '@gatehouse/${name}';`,
        ),
      );
    }
  });
});

describe('an app outside the workspace, built from the tarballs', () => {
  let gatehouseUrl: string;
  let apiUrl: string;
  let spaUrl: string;
  let userId: string;

  beforeAll(async () => {
    const app = join(dir, 'my-app');
    mkdirSync(app);
    const tarball = (name: string) => `file:${join(dir, packed.find((p) => p.name === name)!.filename)}`;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'my-app',
        private: true,
        type: 'module',
        dependencies: {
          '@gatehouse/spa': tarball('@gatehouse/spa'),
          '@gatehouse/resource': tarball('@gatehouse/resource'),
          '@gatehouse/server': tarball('@gatehouse/server'),
          fastify: '^5.6.1',
        },
        devDependencies: { '@types/node': '^20.19.0', typescript: '~5.9.3', vite: '^7.3.8' },
      }),
    );
    // No install scripts: better-sqlite3 would compile; this app only imports the server package.
    await run('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app });
    cpSync(APP_SOURCES, app, { recursive: true });
    // Type-checks the app against the packages' declarations and compiles the API.
    await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app });

    const [gatehousePort, apiPort, spaPort] = await freePorts(3);
    gatehouseUrl = `http://127.0.0.1:${gatehousePort}`;
    apiUrl = `http://127.0.0.1:${apiPort}`;
    spaUrl = `http://127.0.0.1:${spaPort}`;
    const issuer = `${gatehouseUrl}/system/auth/${TENANT}-U`;
    // With PostgreSQL at hand, Gatehouse itself runs from the installed @gatehouse/server (its
    // `gatehouse` bin) on a database of its own; otherwise from this workspace on SQLite, since
    // the tarball was installed without building better-sqlite3's native module.
    const installedCli = join(app, 'node_modules/@gatehouse/server/bin/gatehouse.js');
    const gatehouse = POSTGRES_URL
      ? { cli: installedCli, cwd: app, database: await createDatabase(POSTGRES_URL) }
      : { cli: CLI, cwd: ROOT, database: join(dir, 'gatehouse.sqlite') };
    const { clientId, id } = await seedGatehouse(gatehouse, apiUrl, spaUrl);
    userId = id;

    const vite = join(app, 'node_modules/vite/bin/vite.js');
    await run(process.execPath, [vite, 'build', 'spa', '--outDir', '../spa-dist', '--logLevel', 'warn'], {
      cwd: app,
      env: { VITE_GATEHOUSE_ISSUER: issuer, VITE_CLIENT_ID: clientId, VITE_API_URL: apiUrl },
    });
    services.push(
      spawnService(
        [gatehouse.cli, 'start', '--database', gatehouse.database, '--port', String(gatehousePort)],
        { GATEHOUSE_PUBLIC_URL: gatehouseUrl, GATEHOUSE_METRICS_PORT: '0', GATEHOUSE_LOG_LEVEL: 'warn' },
        gatehouse.cwd,
      ),
      spawnService(
        [join(app, 'dist/api/server.js')],
        { GATEHOUSE_ISSUER: issuer, API_AUDIENCE: apiUrl, SPA_ORIGIN: spaUrl, PORT: String(apiPort) },
        app,
      ),
      spawnService(
        [
          vite,
          'preview',
          'spa',
          '--outDir',
          '../spa-dist',
          '--host',
          '127.0.0.1',
          '--port',
          String(spaPort),
          '--strictPort',
        ],
        {},
        app,
      ),
    );
    await Promise.all([
      waitUntilReady(`${gatehouseUrl}/readyz`),
      waitUntilReady(`${apiUrl}/healthz`),
      waitUntilReady(`${spaUrl}/`),
    ]);
    browser = await launchChromium();
  }, INSTALL_TIMEOUT_MS);

  it('imports each installed package by name from plain Node', async () => {
    const app = join(dir, 'my-app');
    const exported = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const names = {};
         for (const name of ['@gatehouse/spa', '@gatehouse/resource', '@gatehouse/server'])
           names[name] = Object.keys(await import(name)).sort();
         console.log(JSON.stringify(names));`,
      ],
      { cwd: app },
    );
    const names = JSON.parse(exported);
    expect(names['@gatehouse/spa']).toContain('createGatehouseClient');
    expect(names['@gatehouse/resource']).toContain('gatehouseAuth');
    expect(names['@gatehouse/server']).toEqual(expect.arrayContaining(['startServer', 'loadConfig']));
    expect(await run(process.execPath, [join(app, 'node_modules/.bin/gatehouse'), '--help'], { cwd: app })).toMatch(
      /^gatehouse <command>/,
    );
  });

  it('signs in through Gatehouse, calls the API with the access token, and signs out', async () => {
    const { page, pageErrors } = await openPage(browser!);
    await page.goto(spaUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${gatehouseUrl}/system/auth/${TENANT}-U/login`));
    await page.locator('input[name="username"]').fill(USER.username);
    await page.locator('input[name="password"]').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('button[name="decision"][value="allow"]').click();

    await page.getByText(`Signed in as ${userId}`).waitFor();
    expect(page.url()).toBe(`${spaUrl}/`);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.locator('#output', { hasText: /^200 / }).waitFor();
    expect(JSON.parse((await page.locator('#output').textContent())!.slice(4))).toEqual({
      hello: userId,
      scopes: ['openid', SCOPE],
    });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out').waitFor();
    expect(new URL(page.url()).origin).toBe(spaUrl);
    expect(pageErrors).toEqual([]);
  });
});

/** The tenant (its API domain is this API), its scope, the SPA client and one person, through the CLI. */
async function seedGatehouse(
  { cli, cwd, database }: { cli: string; cwd: string; database: string },
  apiUrl: string,
  spaUrl: string,
): Promise<{ clientId: string; id: string }> {
  const gatehouse = async (args: string[], stdin?: string) =>
    JSON.parse(await run(process.execPath, [cli, ...args, '--database', database, '--json'], { cwd, stdin }));
  // Only migrate (and start) create a database; every other command refuses a missing one.
  await gatehouse(['migrate']);
  await gatehouse(['tenant', 'create', '--id', TENANT, '--name', 'Packages', '--api-domain', apiUrl]);
  await gatehouse(['scope', 'create', '--tenant', TENANT, '--name', SCOPE, '--description', 'Read answers']);
  const client = await gatehouse([
    'client',
    'create',
    '--tenant',
    TENANT,
    '--name',
    'My App',
    '--platform',
    'spa',
    '--resource-type',
    'user',
    '--redirect-uri',
    `${spaUrl}/callback`,
    '--post-logout-redirect-uri',
    `${spaUrl}/`,
    '--scope',
    SCOPE,
  ]);
  const user = await gatehouse(
    ['user', 'create', '--tenant', TENANT, '--actor', 'user', '--username', USER.username, '--password-stdin'],
    USER.password,
  );
  return { clientId: client.client_id, id: user.user.id };
}

/** A fresh PostgreSQL database next to the test one; returns its URL. */
async function createDatabase(url: string): Promise<string> {
  const name = `gh_packages_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  createdDatabase = name;
  const database = new URL(url);
  database.pathname = `/${name}`;
  return database.toString();
}

async function dropDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs a command to completion; resolves with its stdout, rejects with all its output. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; stdin?: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stdout}${stderr}`)),
    );
  });
}

function spawnService(args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: 'ignore' });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}
