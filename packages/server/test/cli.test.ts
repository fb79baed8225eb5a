import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The compiled CLI: `npm test` builds first; by hand, run `npx tsc -b packages/server`.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const TENANT = 'ACME1';
const API_DOMAIN = 'https://api.acme.example';
const SPA_CLIENT_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';
/** Used by every refused `client create`, then checked to be still unused. */
const REFUSED_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const READ = 'core.aiservices.read';
const WRITE = 'core.aiservices.write';

let directory: string;
let database: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI against the test database, without a shell and without GATEHOUSE_* variables. */
function gatehouse(args: readonly string[], stdin = ''): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--database', database], { cwd: directory, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** A successful --json run printed exactly one line holding one JSON object. */
function singleJsonObject(run: Run): Record<string, unknown> {
  expect(run).toMatchObject({ code: 0, stderr: '' });
  const lines = run.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  const value: unknown = JSON.parse(lines[0]!);
  expect(value).toBeTypeOf('object');
  expect(Array.isArray(value)).toBe(false);
  return value as Record<string, unknown>;
}

/** Invalid input: exit code 2, nothing on stdout, exactly this one line on stderr. */
function expectRefused(run: Run, message: string): void {
  expect(run).toEqual({ code: 2, stdout: '', stderr: `gatehouse: ${message}\n` });
}

function realm(actor: 'U' | 'C', publicUrl = 'http://localhost:8080') {
  const issuer = `${publicUrl}/system/auth/${TENANT}-${actor}`;
  return {
    realm: `${TENANT}-${actor}`,
    issuer,
    authorization_url: `${issuer}/oauth2/authorize`,
    token_url: `${issuer}/oauth2/token`,
    domain_url: API_DOMAIN,
    metadata_url: `${issuer}/.well-known/openid-configuration`,
  };
}

const SPA_METADATA = {
  client_id: SPA_CLIENT_ID,
  tenant: TENANT,
  name: 'Demo SPA',
  platform: 'spa',
  resource_type: 'global',
  redirect_uris: ['https://oauth.pstmn.io/v1/callback', 'http://localhost:5173/callback'],
  scopes: [READ, WRITE],
  consent: 'required',
  realms: { user: realm('U'), customer: realm('C') },
};

/** Arguments of a valid spa client; `overrides` replace single flags. */
function clientArgs(overrides: { redirectUri?: string; scope?: string } = {}): string[] {
  return [
    'client', 'create', '--tenant', TENANT, '--name', 'Refused App', '--platform', 'spa', '--resource-type', 'global',
    '--redirect-uri', overrides.redirectUri ?? 'https://app.acme.example/callback',
    '--scope', overrides.scope ?? READ,
    '--client-id', REFUSED_CLIENT_ID,
  ];
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with npx tsc -b packages/server`);
  directory = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
  database = join(directory, 'db.sqlite');
});

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

// The tests share one database and run in order: each builds on what the previous ones created.
describe('gatehouse CLI', () => {
  it('migrate creates and migrates a new database file and prints {"migrated":true}', async () => {
    expect(singleJsonObject(await gatehouse(['migrate', '--json']))).toEqual({ migrated: true });
    expect(existsSync(database)).toBe(true);
  });

  it('tenant create --json prints exactly one JSON object describing the tenant', async () => {
    const output = singleJsonObject(await gatehouse(['tenant', 'create', '--id', TENANT, '--name', 'Acme', '--api-domain', API_DOMAIN, '--json']));
    expect(output).toEqual({ tenant: { id: TENANT, name: 'Acme', api_domain: API_DOMAIN } });
  });

  it('tenant create refuses a tenant id that is not upper-case letters and digits', async () => {
    expectRefused(await gatehouse(['tenant', 'create', '--id', 'acme-2', '--name', 'Acme 2', '--api-domain', API_DOMAIN]), '--id must be upper-case letters and digits, like TMPRODB88619984');
  });

  it('tenant create refuses an existing tenant id and leaves the tenant unchanged', async () => {
    expectRefused(await gatehouse(['tenant', 'create', '--id', TENANT, '--name', 'Impostor', '--api-domain', 'https://evil.example']), `tenant ${TENANT} already exists`);
    // client metadata below shows domain_url still equal to API_DOMAIN.
  });

  it('scope create --json prints the created scope, and without --json one line of text', async () => {
    const output = singleJsonObject(await gatehouse(['scope', 'create', '--tenant', TENANT, '--name', READ, '--description', 'Read answers', '--json']));
    expect(output).toEqual({ scope: { tenant: TENANT, name: READ, description: 'Read answers' } });
    expect(await gatehouse(['scope', 'create', '--tenant', TENANT, '--name', WRITE, '--description', 'Change content'])).toEqual({
      code: 0,
      stdout: `created scope ${WRITE} in ${TENANT}\n`,
      stderr: '',
    });
  });

  it('client create --json for a spa client honours --client-id, prints no secret, and gives the realm URLs under the default public URL', async () => {
    const output = singleJsonObject(
      await gatehouse([
        'client', 'create', '--tenant', TENANT, '--name', 'Demo SPA', '--platform', 'spa', '--resource-type', 'global',
        '--redirect-uri', 'https://oauth.pstmn.io/v1/callback', '--redirect-uri', 'http://localhost:5173/callback',
        '--scope', READ, '--scope', WRITE, '--client-id', SPA_CLIENT_ID, '--json',
      ]),
    );
    expect(output).toEqual({ client_id: SPA_CLIENT_ID, metadata: SPA_METADATA });
    expect(output).not.toHaveProperty('client_secret');
    expect(SPA_METADATA.realms.user.authorization_url).toBe(`http://localhost:8080/system/auth/${TENANT}-U/oauth2/authorize`);
  });

  it('client create gives a web client a client_secret, and --resource-type user lists only the user realm', async () => {
    const output = singleJsonObject(
      await gatehouse([
        'client', 'create', '--tenant', TENANT, '--name', 'Agent Console', '--platform', 'web', '--resource-type', 'user',
        '--redirect-uri', 'https://console.acme.example/callback', '--scope', READ, '--json',
      ]),
    );
    const clientId = output.client_id as string;
    expect(clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(output.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(output.metadata).toEqual({
      client_id: clientId,
      tenant: TENANT,
      name: 'Agent Console',
      platform: 'web',
      resource_type: 'user',
      redirect_uris: ['https://console.acme.example/callback'],
      scopes: [READ],
      consent: 'required',
      realms: { user: realm('U') },
    });
  });

  it('client metadata --json prints the stored metadata of a client', async () => {
    expect(singleJsonObject(await gatehouse(['client', 'metadata', '--tenant', TENANT, '--client-id', SPA_CLIENT_ID, '--json']))).toEqual({ metadata: SPA_METADATA });
  });

  it('client metadata derives every URL from --public-url, without its trailing slash', async () => {
    const output = singleJsonObject(await gatehouse(['client', 'metadata', '--tenant', TENANT, '--client-id', SPA_CLIENT_ID, '--public-url', 'https://id.acme.example/', '--json']));
    expect(output).toEqual({ metadata: { ...SPA_METADATA, realms: { user: realm('U', 'https://id.acme.example'), customer: realm('C', 'https://id.acme.example') } } });
  });

  it.each([
    ['an http redirect URI to a public host', clientArgs({ redirectUri: 'http://example.com/callback' }), '--redirect-uri http://example.com/callback must use https (http is allowed only for localhost, 127.0.0.1 and [::1])'],
    ['a redirect URI with a fragment', clientArgs({ redirectUri: 'https://app.acme.example/callback#done' }), '--redirect-uri https://app.acme.example/callback#done must not contain a fragment'],
    ['a scope the tenant does not have', clientArgs({ scope: 'core.admin' }), `unknown scope core.admin in tenant ${TENANT} (create it with: gatehouse scope create)`],
  ])('client create refuses %s with exit code 2 and one line on stderr', async (_label, args, message) => {
    expectRefused(await gatehouse(args), message);
  });

  it('client create with --json reports a refusal as one JSON line on stderr', async () => {
    expect(await gatehouse([...clientArgs({ redirectUri: 'com.acme.app:/callback' }), '--json'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `${JSON.stringify({ error: '--redirect-uri com.acme.app:/callback must use https' })}\n`,
    });
  });

  it('writes nothing for a refused client: client metadata for its client id fails', async () => {
    expectRefused(await gatehouse(['client', 'metadata', '--tenant', TENANT, '--client-id', REFUSED_CLIENT_ID]), `unknown client ${REFUSED_CLIENT_ID} in tenant ${TENANT}`);
  });

  it('user create refuses a password shorter than 8 characters, not counting the final newline', async () => {
    expectRefused(await gatehouse(['user', 'create', '--tenant', TENANT, '--actor', 'user', '--username', 'alice', '--password-stdin'], 'seven77\n'), 'the password must have at least 8 characters');
  });

  it('user create --password-stdin reads the password from stdin and creates the user (the refused one was not written)', async () => {
    const output = singleJsonObject(
      await gatehouse(['user', 'create', '--tenant', TENANT, '--actor', 'user', '--username', 'alice', '--email', 'alice@acme.example', '--password-stdin', '--json'], 'correct horse battery staple\n'),
    );
    const user = output.user as Record<string, unknown>;
    expect(user).toEqual({ id: user.id, tenant: TENANT, actor: 'user', username: 'alice', email: 'alice@acme.example' });
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.stringify(output)).not.toContain('correct horse');
  });

  it('keys rotate --json names the new key and how long the previous one stays published (86400 s by default)', async () => {
    const before = Math.floor(Date.now() / 1000);
    const output = singleJsonObject(await gatehouse(['keys', 'rotate', '--tenant', TENANT, '--json']));
    const after = Math.floor(Date.now() / 1000);
    expect(Object.keys(output).sort()).toEqual(['kid', 'previous_keys_published_until', 'tenant']);
    expect(output.tenant).toBe(TENANT);
    // RFC 7638 thumbprint: base64url SHA-256.
    expect(output.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(output.previous_keys_published_until).toBeGreaterThanOrEqual(before + 86_400);
    expect(output.previous_keys_published_until).toBeLessThanOrEqual(after + 86_400);
  });

  it('refuses an unknown option with exit code 2 and one line on stderr', async () => {
    const run = await gatehouse(['tenant', 'create', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^gatehouse: Unknown option '--bogus'\.[^\n]*\n$/);
  });
});
