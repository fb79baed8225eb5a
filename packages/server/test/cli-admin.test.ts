import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/database.js';
import { createRepositories, type Repositories } from '../src/store/repositories.js';

// The compiled CLI: `npm test` builds first; by hand, run `npx tsc -b packages/server`.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TENANT = 'ACME2';
const OTHER = 'OTHER2';
const PUBLIC_URL = 'https://auth.acme.example';
const READ = 'core.read';

let directory: string;
let database: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI without a shell and without GATEHOUSE_* variables; `--database` is added unless `database` is false. */
function gatehouse(args: readonly string[], options: { stdin?: string; database?: boolean } = {}): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_')));
  const all = options.database === false ? [...args] : [...args, '--database', database];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...all], { cwd: directory, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

async function json(args: readonly string[], stdin?: string): Promise<Record<string, unknown>> {
  const run = await gatehouse([...args, '--json'], stdin === undefined ? {} : { stdin });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function expectRefused(run: Run, message: string): void {
  expect(run).toEqual({ code: 2, stdout: '', stderr: `gatehouse: ${message}\n` });
}

async function withRepositories<T>(use: (repos: Repositories) => Promise<T>): Promise<T> {
  const handle = openDatabase(database);
  try {
    return await use(createRepositories(handle.db));
  } finally {
    await handle.close();
  }
}

async function auditTypes(): Promise<string[]> {
  const handle = openDatabase(database);
  try {
    const rows = await handle.db.selectFrom('audit_events').select('type').orderBy('id').execute();
    return rows.map((row) => row.type);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with npx tsc -b packages/server`);
  directory = await mkdtemp(join(tmpdir(), 'gatehouse-cli-admin-'));
  database = join(directory, 'db.sqlite');
});

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

// The tests share one database and run in order.
// Each test spawns several CLI processes (about a second each on a busy machine).
describe('gatehouse CLI: management commands (issue 9) and input rules (issue 12)', { timeout: 120_000 }, () => {
  it('refuses every command but migrate and start on a missing SQLite file, and creates nothing', async () => {
    expectRefused(
      await gatehouse(['tenant', 'list']),
      `no database at ${database} (create it with gatehouse migrate, or check --database)`,
    );
    expect(existsSync(database)).toBe(false);
  });

  it('--version prints the package version; --help lists the commands; <command> --help explains each flag with its default', async () => {
    expect(await gatehouse(['--version'], { database: false })).toEqual({
      code: 0,
      stdout: 'gatehouse 0.1.0\n',
      stderr: '',
    });
    const help = await gatehouse(['--help'], { database: false });
    expect(help.stdout).toContain('client rotate-secret');
    expect(help.stdout).toContain('admin api-key create');
    const clientHelp = await gatehouse(['client', 'create', '--help'], { database: false });
    expect(clientHelp.code).toBe(0);
    expect(clientHelp.stdout).toMatch(
      /--consent CONSENT\s+required or skip \(first-party clients\) \(default: required\)/,
    );
    expect(clientHelp.stdout).toMatch(/--redirect-uri REDIRECT_URI\s+exact redirect URI \(required; repeatable\)/);
    expect(clientHelp.stdout).toMatch(/--refresh-grace REFRESH_GRACE\s+.*\(default: 0\)/);
  });

  it('client metadata without a known public URL says how to set one instead of printing localhost', async () => {
    await json(['migrate']);
    await json(['tenant', 'create', '--id', TENANT, '--name', 'Acme', '--api-domain', 'https://api.acme.example']);
    await json(['scope', 'create', '--tenant', TENANT, '--name', READ, '--description', 'Read']);
    const created = await json([
      'client',
      'create',
      '--tenant',
      TENANT,
      '--name',
      'App',
      '--platform',
      'spa',
      '--resource-type',
      'user',
      '--redirect-uri',
      'https://app.acme.example/cb',
      '--scope',
      READ,
    ]);
    expect(created.metadata).toBeNull();
    expectRefused(
      await gatehouse(['client', 'metadata', '--tenant', TENANT, '--client-id', String(created.client_id)]),
      'metadata not shown: the public URL is not set (pass --public-url, set GATEHOUSE_PUBLIC_URL, or run `gatehouse migrate --public-url URL` once to store it)',
    );
    await json(['migrate', '--public-url', PUBLIC_URL]);
    const metadata = await json(['client', 'metadata', '--tenant', TENANT, '--client-id', String(created.client_id)]);
    expect(JSON.stringify(metadata)).toContain(`${PUBLIC_URL}/system/auth/${TENANT}-U/oauth2/authorize`);
    expect(JSON.stringify(metadata)).not.toContain('localhost');
  });

  it('refuses built-in scope names, a client without --scope, blank passwords, and Sam next to sam', async () => {
    expectRefused(
      await gatehouse(['scope', 'create', '--tenant', TENANT, '--name', 'openid', '--description', 'x']),
      '--name openid is a built-in OpenID Connect scope; every client may already request it',
    );
    const noScope = [
      'client',
      'create',
      '--tenant',
      TENANT,
      '--name',
      'NoScope',
      '--platform',
      'web',
      '--resource-type',
      'user',
      '--redirect-uri',
      'https://app.acme.example/cb',
    ];
    expectRefused(
      await gatehouse(noScope),
      'at least one --scope is required (or --no-scopes for a client that only calls introspection)',
    );
    expect((await json([...noScope, '--no-scopes'])).client_secret).toEqual(expect.any(String));
    const user = ['user', 'create', '--tenant', TENANT, '--actor', 'user', '--password-stdin'];
    expectRefused(
      await gatehouse([...user, '--username', 'blank'], { stdin: '          \n' }),
      'the password must not be only white space',
    );
    await json([...user, '--username', 'Sam', '--email', 'sam@acme.example'], 'sam-password-1\n');
    expectRefused(
      await gatehouse([...user, '--username', 'sam'], { stdin: 'sam-password-2\n' }),
      `user sam already exists in ${TENANT} (user)`,
    );
    const shown = await json(['user', 'show', '--tenant', TENANT, '--actor', 'user', '--username', 'SAM']);
    expect(shown.user).toMatchObject({ username: 'Sam', email: 'sam@acme.example' });
  });

  it('client metadata without --client-id says the flag is required; consent revoke with no consent says nothing existed', async () => {
    expectRefused(await gatehouse(['client', 'metadata', '--tenant', TENANT]), '--client-id is required');
    const clients = (await json(['client', 'list', '--tenant', TENANT, '--q', 'app'])).items as { client_id: string }[];
    expectRefused(
      await gatehouse([
        'consent',
        'revoke',
        '--tenant',
        TENANT,
        '--actor',
        'user',
        '--username',
        'Sam',
        '--client-id',
        clients[0]!.client_id,
      ]),
      `Sam has no consent for client ${clients[0]!.client_id}; nothing was revoked`,
    );
    expect((await json(['consent', 'list', '--tenant', TENANT, '--actor', 'user', '--username', 'sam'])).items).toEqual(
      [],
    );
  });

  it('tenant list with q and cursor, update and show', async () => {
    await json(['tenant', 'create', '--id', OTHER, '--name', 'Other', '--api-domain', 'https://api.other.example']);
    expect(((await json(['tenant', 'list'])).items as { id: string }[]).map((t) => t.id)).toEqual([TENANT, OTHER]);
    expect((await json(['tenant', 'list', '--q', 'oth'])).items).toEqual([expect.objectContaining({ id: OTHER })]);
    const page = await json(['tenant', 'list', '--limit', '1']);
    expect(page.next_cursor).toEqual(expect.any(String));
    expect(
      (
        (await json(['tenant', 'list', '--limit', '1', '--cursor', String(page.next_cursor)])).items as { id: string }[]
      )[0]!.id,
    ).toBe(OTHER);
    expect((await json(['tenant', 'update', '--tenant', OTHER, '--name', 'Other Ltd'])).tenant).toMatchObject({
      name: 'Other Ltd',
    });
    expect((await json(['tenant', 'show', '--tenant', OTHER])).tenant).toMatchObject({ name: 'Other Ltd' });
  });

  it('scope update changes the description; scope delete is refused while a client holds the scope', async () => {
    expect(
      (await json(['scope', 'update', '--tenant', TENANT, '--name', READ, '--description', 'Read things'])).scope,
    ).toMatchObject({
      description: 'Read things',
    });
    const held = await gatehouse(['scope', 'delete', '--tenant', TENANT, '--name', READ]);
    expect(held.code).toBe(2);
    expect(held.stderr).toMatch(
      /^gatehouse: scope core\.read is held by client\(s\) [0-9a-f-]{36}; remove it from them first\n$/,
    );
  });

  it('client update, show, disable and delete; then the scope can go', async () => {
    const clients = (await json(['client', 'list', '--tenant', TENANT])).items as { client_id: string; name: string }[];
    const app = clients.find((c) => c.name === 'App')!;
    const updated = await json([
      'client',
      'update',
      '--tenant',
      TENANT,
      '--client-id',
      app.client_id,
      '--name',
      'App 2',
      '--redirect-uri',
      'https://app.acme.example/cb2',
      '--refresh-grace',
      '5',
    ]);
    expect(updated.client).toMatchObject({
      name: 'App 2',
      redirect_uris: ['https://app.acme.example/cb2'],
      refresh_tokens: { enabled: true, grace_seconds: 5 },
      scopes: [READ],
    });
    expect((await gatehouse(['client', 'show', '--tenant', TENANT, '--client-id', app.client_id])).stdout).toContain(
      'App 2',
    );
    await json(['client', 'disable', '--tenant', TENANT, '--client-id', app.client_id]);
    expect((await gatehouse(['client', 'list', '--tenant', TENANT])).stdout).toMatch(/DISABLED {2}App 2/);
    await json(['client', 'delete', '--tenant', TENANT, '--client-id', app.client_id]);
    expectRefused(
      await gatehouse(['client', 'show', '--tenant', TENANT, '--client-id', app.client_id]),
      `unknown client ${app.client_id} in tenant ${TENANT}`,
    );
    expect((await json(['scope', 'delete', '--tenant', TENANT, '--name', READ])).deleted).toBe(true);
  });

  it('user update, list and delete; tenant delete needs --cascade while the tenant holds anything', async () => {
    const user = ['--tenant', TENANT, '--actor', 'user', '--username', 'sam'];
    expect((await json(['user', 'update', ...user, '--email', ''])).user).toMatchObject({ email: null });
    expect(((await json(['user', 'list', '--tenant', TENANT, '--actor', 'user'])).items as unknown[]).length).toBe(1);
    await json(['user', 'delete', ...user]);
    expectRefused(await gatehouse(['user', 'show', ...user]), `unknown user sam in ${TENANT}`);

    expectRefused(
      await gatehouse(['tenant', 'delete', '--tenant', TENANT]),
      `tenant ${TENANT} still has 1 client(s) and 0 user(s); delete them first or use --cascade`,
    );
    expect(await json(['tenant', 'delete', '--tenant', TENANT, '--cascade'])).toEqual({ id: TENANT, deleted: true });
    expectRefused(await gatehouse(['tenant', 'show', '--tenant', TENANT]), `unknown tenant ${TENANT}`);
  });

  it('client rotate-secret prints the new secret once and keeps the old one valid for --overlap seconds', async () => {
    const web = await json([
      'client',
      'create',
      '--tenant',
      OTHER,
      '--name',
      'Backend',
      '--platform',
      'web',
      '--resource-type',
      'global',
      '--redirect-uri',
      'https://backend.other.example/cb',
      '--no-scopes',
    ]);
    const rotated = await json([
      'client',
      'rotate-secret',
      '--tenant',
      OTHER,
      '--client-id',
      String(web.client_id),
      '--overlap',
      '3600',
    ]);
    expect(rotated.client_secret).toEqual(expect.any(String));
    expect(rotated.client_secret).not.toBe(web.client_secret);
    expect(rotated.old_secret_expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    const client = await withRepositories((repos) => repos.clients.findById(String(web.client_id)));
    expect(client?.previousSecret?.expiresAt).toBe(rotated.old_secret_expires_at);
    expectRefused(
      await gatehouse([
        'client',
        'rotate-secret',
        '--tenant',
        OTHER,
        '--client-id',
        String(web.client_id),
        '--overlap',
        '1w',
      ]),
      '--overlap must be a whole number of seconds from 0 to 604800',
    );
  });

  it('keys list shows the active key; keys rotate makes it retiring', async () => {
    type Key = { kid: string; alg: string; state: string };
    // One active key per algorithm: ES256 (access tokens) and RS256 (default ID Tokens, issue 12).
    const before = (await json(['keys', 'list', '--tenant', OTHER])).items as Key[];
    expect(before.map((k) => [k.alg, k.state]).sort()).toEqual([
      ['ES256', 'active'],
      ['RS256', 'active'],
    ]);
    const rotated = await json(['keys', 'rotate', '--tenant', OTHER]);
    const after = (await json(['keys', 'list', '--tenant', OTHER])).items as Key[];
    for (const alg of ['ES256', 'RS256'])
      expect(after.filter((k) => k.alg === alg).map((k) => [k.kid, k.state])).toEqual([
        [rotated.kids[alg], 'active'],
        [before.find((k) => k.alg === alg)!.kid, 'retiring'],
      ]);
  });

  it('admin create makes an operator and a tenant administrator', async () => {
    const admin = await json(
      ['admin', 'create', '--username', 'root', '--role', 'operator', '--password-stdin'],
      'root-password-1\n',
    );
    expect(admin.administrator).toMatchObject({ username: 'root', role: 'operator', created: true });
    expectRefused(
      await gatehouse(['admin', 'create', '--username', 'ta', '--role', 'tenant-admin', '--password-stdin'], {
        stdin: 'ta-password-1\n',
      }),
      '--role tenant-admin needs at least one --tenant',
    );
    const ta = await json(
      ['admin', 'create', '--username', 'ta', '--role', 'tenant-admin', '--tenant', OTHER, '--password-stdin'],
      'ta-password-1\n',
    );
    expect(ta.administrator).toMatchObject({ role: 'tenant-admin', tenants: [OTHER] });
    expect((await gatehouse(['admin', 'list'])).stdout).toBe(`root  operator\nta  tenant-admin of ${OTHER}\n`);
  });

  it('keys rotate and keys list also work for the GATEHOUSE tenant (created by admin create) from the CLI', async () => {
    const rotated = await json(['keys', 'rotate', '--tenant', 'GATEHOUSE']);
    const keys = (await json(['keys', 'list', '--tenant', 'GATEHOUSE'])).items as { kid: string; state: string }[];
    expect(keys[0]).toMatchObject({ kid: rotated.kid, state: 'active' });
  });

  it('admin api-key create shows the key once and stores only its hash; list and revoke', async () => {
    const key = await json(['admin', 'api-key', 'create', '--name', 'ci', '--tenant', OTHER]);
    expect(key.key).toMatch(/^gh_adm_[A-Za-z0-9_-]{43}$/);
    const stored = JSON.stringify(await withRepositories((repos) => repos.apiKeys.list()));
    expect(stored).not.toContain(String(key.key));
    const listed = await gatehouse(['admin', 'api-key', 'list']);
    expect(listed.stdout).toContain(`${key.id}  ci  ${OTHER}`);
    expect(listed.stdout).not.toContain(String(key.key));
    await json(['admin', 'api-key', 'revoke', '--id', String(key.id)]);
    expect((await gatehouse(['admin', 'api-key', 'list'])).stdout).toContain('(REVOKED)');
    expectRefused(await gatehouse(['admin', 'api-key', 'revoke', '--id', String(key.id)]), `no live API key ${key.id}`);
  });

  it('audit list shows every change made above, by the CLI account, without secrets', async () => {
    const types = await auditTypes();
    expect(types).toEqual(
      expect.arrayContaining([
        'tenant.created',
        'scope.created',
        'client.created',
        'client.updated',
        'client.disabled',
        'client.deleted',
        'client.secret-rotated',
        'user.created',
        'user.deleted',
        'tenant.deleted',
        'key.rotated',
        'administrator.created',
        'api-key.created',
        'api-key.revoked',
      ]),
    );
    const page = await json(['audit', 'list', '--type', 'client.updated']);
    const events = page.items as {
      type: string;
      actor: { kind: string; name: string };
      before: { name: string };
      after: { name: string };
    }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { kind: 'system' }, before: { name: 'App' }, after: { name: 'App 2' } });
    expect(events[0]!.actor.name).toMatch(/^cli:/);
    const text = await gatehouse(['audit', 'list', '--tenant', OTHER]);
    expect(text.stdout).toContain('client.secret-rotated');
    const everything = JSON.stringify(await json(['audit', 'list', '--limit', '200']));
    expect(everything).not.toMatch(/secret_hash|password|\$argon2|gh_adm_/);
  });
});
