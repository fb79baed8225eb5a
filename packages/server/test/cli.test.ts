import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../src/lib/passwords.js';
import type { RefreshTokenRecord } from '../src/protocol/ports.js';
import { hashOpaqueSecret } from '../src/protocol/secrets.js';
import { openDatabase } from '../src/store/database.js';
import { createRepositories, type Repositories } from '../src/store/repositories.js';

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
/** Set by the tests that create them, used by the ones after. */
let webClientId: string;
let aliceId: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI against the test database, without a shell and without GATEHOUSE_* variables. */
function gatehouse(args: readonly string[], stdin = ''): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GATEHOUSE_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--database', database], {
      cwd: directory,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Reads or seeds the test database directly, between CLI runs, to see what a command changed. */
async function withRepositories<T>(use: (repos: Repositories) => Promise<T>): Promise<T> {
  const handle = openDatabase(database);
  try {
    return await use(createRepositories(handle.db));
  } finally {
    await handle.close();
  }
}

/** Stores a live refresh-token family for `userId` and `clientId`; returns its token hash. */
async function seedRefreshFamily(
  repos: Repositories,
  userId: string,
  clientId: string,
  familyId: string,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const record: RefreshTokenRecord = {
    tokenHash: hashOpaqueSecret(`refresh-token-of-${familyId}`),
    familyId,
    realmId: `${TENANT}-U`,
    tenantId: TENANT,
    clientId,
    userId,
    sessionId: null,
    codeHash: null,
    scopes: [READ],
    authTime: now,
    familyCreatedAt: now,
    familyExpiresAt: now + 3_600,
    idleExpiresAt: now + 600,
    createdAt: now,
    rotatedAt: null,
    revokedAt: null,
    accessTokenJti: null,
    accessTokenExpiresAt: null,
    successorSealed: null,
  };
  await repos.refreshTokens.insert(record);
  return record.tokenHash;
}

async function isRevoked(repos: Repositories, tokenHash: string): Promise<boolean> {
  const record = await repos.refreshTokens.findByHash(tokenHash);
  if (!record) throw new Error(`no refresh token ${tokenHash}`);
  return record.revokedAt !== null;
}

const SESSION_HASH = hashOpaqueSecret('alice-session-cookie');

async function seedSession(repos: Repositories, userId: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await repos.sessions.insert(
    SESSION_HASH,
    { realmId: `${TENANT}-U`, tenantId: TENANT, userId, authTime: now, expiresAt: now + 3_600 },
    now,
  );
}

async function hasSession(repos: Repositories): Promise<boolean> {
  return (await repos.sessions.findActive(SESSION_HASH, `${TENANT}-U`, Math.floor(Date.now() / 1000))) !== undefined;
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
  id_token_signed_response_alg: 'RS256',
  post_logout_redirect_uris: [],
  // spa clients get refresh tokens by default: one week absolute, one day idle, no grace window.
  refresh_tokens: { enabled: true, absolute_ttl_seconds: 604_800, idle_ttl_seconds: 86_400, grace_seconds: 0 },
  realms: { user: realm('U'), customer: realm('C') },
};

/** Arguments of a valid spa client; `overrides` replace single flags. */
function clientArgs(overrides: { redirectUri?: string; scope?: string } = {}, ...extra: string[]): string[] {
  return [
    'client',
    'create',
    '--tenant',
    TENANT,
    '--name',
    'Refused App',
    '--platform',
    'spa',
    '--resource-type',
    'global',
    '--redirect-uri',
    overrides.redirectUri ?? 'https://app.acme.example/callback',
    '--scope',
    overrides.scope ?? READ,
    '--client-id',
    REFUSED_CLIENT_ID,
    ...extra,
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
  it('migrate creates and migrates a new database file, stores --public-url, and prints {"migrated":true}', async () => {
    expect(singleJsonObject(await gatehouse(['migrate', '--public-url', 'http://localhost:8080/', '--json']))).toEqual({
      migrated: true,
    });
    expect(existsSync(database)).toBe(true);
  });

  it('tenant create --json prints exactly one JSON object describing the tenant', async () => {
    const output = singleJsonObject(
      await gatehouse(['tenant', 'create', '--id', TENANT, '--name', 'Acme', '--api-domain', API_DOMAIN, '--json']),
    );
    expect(output).toEqual({ tenant: { id: TENANT, name: 'Acme', api_domain: API_DOMAIN } });
  });

  it('tenant create refuses a tenant id that is not upper-case letters and digits', async () => {
    expectRefused(
      await gatehouse(['tenant', 'create', '--id', 'acme-2', '--name', 'Acme 2', '--api-domain', API_DOMAIN]),
      '--id must be upper-case letters and digits, like TMPRODB88619984',
    );
  });

  it('tenant create refuses an existing tenant id and leaves the tenant unchanged', async () => {
    expectRefused(
      await gatehouse([
        'tenant',
        'create',
        '--id',
        TENANT,
        '--name',
        'Impostor',
        '--api-domain',
        'https://evil.example',
      ]),
      `tenant ${TENANT} already exists`,
    );
    // client metadata below shows domain_url still equal to API_DOMAIN.
  });

  it('scope create --json prints the created scope, and without --json one line of text', async () => {
    const output = singleJsonObject(
      await gatehouse([
        'scope',
        'create',
        '--tenant',
        TENANT,
        '--name',
        READ,
        '--description',
        'Read answers',
        '--json',
      ]),
    );
    expect(output).toEqual({ scope: { tenant: TENANT, name: READ, description: 'Read answers' } });
    expect(
      await gatehouse(['scope', 'create', '--tenant', TENANT, '--name', WRITE, '--description', 'Change content']),
    ).toEqual({
      code: 0,
      stdout: `created scope ${WRITE} in ${TENANT}\n`,
      stderr: '',
    });
  });

  it('client create --json for a spa client honours --client-id, prints no secret, and gives the realm URLs under the public URL migrate stored', async () => {
    const output = singleJsonObject(
      await gatehouse([
        'client',
        'create',
        '--tenant',
        TENANT,
        '--name',
        'Demo SPA',
        '--platform',
        'spa',
        '--resource-type',
        'global',
        '--redirect-uri',
        'https://oauth.pstmn.io/v1/callback',
        '--redirect-uri',
        'http://localhost:5173/callback',
        '--scope',
        READ,
        '--scope',
        WRITE,
        '--client-id',
        SPA_CLIENT_ID,
        '--json',
      ]),
    );
    expect(output).toEqual({ client_id: SPA_CLIENT_ID, metadata: SPA_METADATA });
    expect(output).not.toHaveProperty('client_secret');
    expect(SPA_METADATA.realms.user.authorization_url).toBe(
      `http://localhost:8080/system/auth/${TENANT}-U/oauth2/authorize`,
    );
  });

  it('client create gives a web client a client_secret, and --resource-type user lists only the user realm', async () => {
    const output = singleJsonObject(
      await gatehouse([
        'client',
        'create',
        '--tenant',
        TENANT,
        '--name',
        'Agent Console',
        '--platform',
        'web',
        '--resource-type',
        'user',
        '--redirect-uri',
        'https://console.acme.example/callback',
        '--scope',
        READ,
        '--json',
      ]),
    );
    const clientId = output.client_id as string;
    webClientId = clientId;
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
      id_token_signed_response_alg: 'RS256',
      post_logout_redirect_uris: [],
      // web clients get no refresh tokens unless asked for.
      refresh_tokens: { enabled: false, absolute_ttl_seconds: 604_800, idle_ttl_seconds: 86_400, grace_seconds: 0 },
      realms: { user: realm('U') },
    });
  });

  it('client create takes repeatable --post-logout-redirect-uri, the refresh lifetimes and grace window and --id-token-alg, and stores them', async () => {
    const clientId = '22222222-3333-4444-8555-666666666666';
    const output = singleJsonObject(
      await gatehouse([
        'client',
        'create',
        '--id-token-alg',
        'ES256',
        '--tenant',
        TENANT,
        '--name',
        'Short Sessions',
        '--platform',
        'spa',
        '--resource-type',
        'customer',
        '--redirect-uri',
        'https://app.acme.example/callback',
        '--scope',
        READ,
        '--client-id',
        clientId,
        '--post-logout-redirect-uri',
        'https://app.acme.example/signed-out',
        '--post-logout-redirect-uri',
        'http://localhost:5173/',
        '--refresh-absolute-ttl',
        '3600',
        '--refresh-idle-ttl',
        '600',
        '--refresh-grace',
        '10',
        '--json',
      ]),
    );
    expect(output).toEqual({
      client_id: clientId,
      metadata: {
        client_id: clientId,
        tenant: TENANT,
        name: 'Short Sessions',
        platform: 'spa',
        resource_type: 'customer',
        redirect_uris: ['https://app.acme.example/callback'],
        scopes: [READ],
        consent: 'required',
        id_token_signed_response_alg: 'ES256',
        post_logout_redirect_uris: ['https://app.acme.example/signed-out', 'http://localhost:5173/'],
        refresh_tokens: { enabled: true, absolute_ttl_seconds: 3_600, idle_ttl_seconds: 600, grace_seconds: 10 },
        realms: { customer: realm('C') },
      },
    });
    const stored = await withRepositories((repos) => repos.clients.findById(clientId));
    expect(stored).toMatchObject({
      postLogoutRedirectUris: ['https://app.acme.example/signed-out', 'http://localhost:5173/'],
      refreshTokens: { enabled: true, absoluteTtlSeconds: 3_600, idleTtlSeconds: 600, graceSeconds: 10 },
      idTokenSigningAlg: 'ES256',
      disabled: false,
    });
  });

  it('client create --refresh-tokens off turns refresh tokens off for a spa client, and a short --refresh-absolute-ttl caps the default idle time', async () => {
    const output = singleJsonObject(
      await gatehouse([
        'client',
        'create',
        '--tenant',
        TENANT,
        '--name',
        'No Refresh',
        '--platform',
        'spa',
        '--resource-type',
        'global',
        '--redirect-uri',
        'https://app.acme.example/callback',
        '--scope',
        READ,
        '--refresh-tokens',
        'off',
        '--refresh-absolute-ttl',
        '60',
        '--json',
      ]),
    );
    expect((output.metadata as Record<string, unknown>).refresh_tokens).toEqual({
      enabled: false,
      absolute_ttl_seconds: 60,
      idle_ttl_seconds: 60,
      grace_seconds: 0,
    });
  });

  it('client metadata --json prints the stored metadata of a client', async () => {
    expect(
      singleJsonObject(
        await gatehouse(['client', 'metadata', '--tenant', TENANT, '--client-id', SPA_CLIENT_ID, '--json']),
      ),
    ).toEqual({ metadata: SPA_METADATA });
  });

  it('client metadata derives every URL from --public-url, without its trailing slash', async () => {
    const output = singleJsonObject(
      await gatehouse([
        'client',
        'metadata',
        '--tenant',
        TENANT,
        '--client-id',
        SPA_CLIENT_ID,
        '--public-url',
        'https://id.acme.example/',
        '--json',
      ]),
    );
    expect(output).toEqual({
      metadata: {
        ...SPA_METADATA,
        realms: { user: realm('U', 'https://id.acme.example'), customer: realm('C', 'https://id.acme.example') },
      },
    });
  });

  it.each([
    [
      'an http redirect URI to a public host',
      clientArgs({ redirectUri: 'http://example.com/callback' }),
      '--redirect-uri http://example.com/callback must use https (http is allowed only for localhost, 127.0.0.1 and [::1])',
    ],
    [
      'a redirect URI with a fragment',
      clientArgs({ redirectUri: 'https://app.acme.example/callback#done' }),
      '--redirect-uri https://app.acme.example/callback#done must not contain a fragment',
    ],
    [
      'a scope the tenant does not have',
      clientArgs({ scope: 'core.admin' }),
      `unknown scope core.admin in tenant ${TENANT} (create it with: gatehouse scope create)`,
    ],
    [
      'an http post-logout redirect URI to a public host',
      clientArgs({}, '--post-logout-redirect-uri', 'http://app.acme.example/bye'),
      '--post-logout-redirect-uri http://app.acme.example/bye must use https (http is allowed only for localhost, 127.0.0.1 and [::1])',
    ],
    [
      'an idle time longer than the absolute lifetime',
      clientArgs({}, '--refresh-absolute-ttl', '3600', '--refresh-idle-ttl', '3601'),
      '--refresh-idle-ttl must not exceed --refresh-absolute-ttl',
    ],
    [
      'a grace window over 60 seconds',
      clientArgs({}, '--refresh-grace', '61'),
      '--refresh-grace must be at most 60 seconds',
    ],
    [
      'an absolute lifetime that is not a number',
      clientArgs({}, '--refresh-absolute-ttl', 'one-week'),
      '--refresh-absolute-ttl must be a whole number of seconds from 60 to 31536000',
    ],
    [
      'an idle time with a unit',
      clientArgs({}, '--refresh-idle-ttl', '10m'),
      '--refresh-idle-ttl must be a whole number of seconds from 60 to 31536000',
    ],
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
    expectRefused(
      await gatehouse(['client', 'metadata', '--tenant', TENANT, '--client-id', REFUSED_CLIENT_ID]),
      `unknown client ${REFUSED_CLIENT_ID} in tenant ${TENANT}`,
    );
  });

  it('user create refuses a password shorter than 8 characters, not counting the final newline', async () => {
    expectRefused(
      await gatehouse(
        ['user', 'create', '--tenant', TENANT, '--actor', 'user', '--username', 'alice', '--password-stdin'],
        'seven77\n',
      ),
      'the password must have at least 8 characters',
    );
  });

  it('user create --password-stdin reads the password from stdin and creates the user (the refused one was not written)', async () => {
    const output = singleJsonObject(
      await gatehouse(
        [
          'user',
          'create',
          '--tenant',
          TENANT,
          '--actor',
          'user',
          '--username',
          'alice',
          '--email',
          'alice@acme.example',
          '--password-stdin',
          '--json',
        ],
        'correct horse battery staple\n',
      ),
    );
    const user = output.user as Record<string, unknown>;
    aliceId = user.id as string;
    expect(user).toEqual({
      id: user.id,
      tenant: TENANT,
      actor: 'user',
      username: 'alice',
      email: 'alice@acme.example',
    });
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.stringify(output)).not.toContain('correct horse');
  });

  it('client disable disables the client, and client enable --json turns it back on', async () => {
    expect(await gatehouse(['client', 'disable', '--tenant', TENANT, '--client-id', SPA_CLIENT_ID])).toEqual({
      code: 0,
      stdout: `disabled client ${SPA_CLIENT_ID}\n`,
      stderr: '',
    });
    expect(await withRepositories(async (repos) => (await repos.clients.findById(SPA_CLIENT_ID))?.disabled)).toBe(true);
    expect(
      singleJsonObject(
        await gatehouse(['client', 'enable', '--tenant', TENANT, '--client-id', SPA_CLIENT_ID, '--json']),
      ),
    ).toEqual({ client_id: SPA_CLIENT_ID, disabled: false });
    expect(await withRepositories(async (repos) => (await repos.clients.findById(SPA_CLIENT_ID))?.disabled)).toBe(
      false,
    );
  });

  it('client disable refuses an unknown client with exit code 2 and one line on stderr', async () => {
    expectRefused(
      await gatehouse(['client', 'disable', '--tenant', TENANT, '--client-id', REFUSED_CLIENT_ID]),
      `unknown client ${REFUSED_CLIENT_ID} in tenant ${TENANT}`,
    );
  });

  it('user disable --json disables the person, ends their sessions and revokes every refresh-token family they hold', async () => {
    const { spaFamily, webFamily, otherFamily } = await withRepositories(async (repos) => {
      await seedSession(repos, aliceId);
      return {
        spaFamily: await seedRefreshFamily(repos, aliceId, SPA_CLIENT_ID, 'disable-spa'),
        webFamily: await seedRefreshFamily(repos, aliceId, webClientId, 'disable-web'),
        otherFamily: await seedRefreshFamily(repos, 'someone-else', SPA_CLIENT_ID, 'disable-other'),
      };
    });
    expect(
      singleJsonObject(
        await gatehouse(['user', 'disable', '--tenant', TENANT, '--actor', 'user', '--username', 'alice', '--json']),
      ),
    ).toEqual({ id: aliceId, disabled: true });
    await withRepositories(async (repos) => {
      expect((await repos.users.findById(TENANT, aliceId))?.disabled).toBe(true);
      expect(await hasSession(repos)).toBe(false);
      expect(await isRevoked(repos, spaFamily)).toBe(true);
      expect(await isRevoked(repos, webFamily)).toBe(true);
      expect(await isRevoked(repos, otherFamily)).toBe(false);
    });
  });

  it('user enable --json enables the person again; what disable revoked stays revoked', async () => {
    expect(
      singleJsonObject(
        await gatehouse(['user', 'enable', '--tenant', TENANT, '--actor', 'user', '--username', 'alice', '--json']),
      ),
    ).toEqual({ id: aliceId, disabled: false });
    await withRepositories(async (repos) => {
      expect((await repos.users.findById(TENANT, aliceId))?.disabled).toBe(false);
      expect(await isRevoked(repos, hashOpaqueSecret('refresh-token-of-disable-spa'))).toBe(true);
    });
  });

  it('user disable refuses an unknown person with exit code 2 and one line on stderr', async () => {
    expectRefused(
      await gatehouse(['user', 'disable', '--tenant', TENANT, '--actor', 'user', '--username', 'mallory']),
      `unknown user mallory in ${TENANT}`,
    );
  });

  it('user set-password refuses a short password and leaves the password as it was', async () => {
    const before = await withRepositories((repos) => repos.users.findById(TENANT, aliceId));
    expectRefused(
      await gatehouse(
        ['user', 'set-password', '--tenant', TENANT, '--actor', 'user', '--username', 'alice', '--password-stdin'],
        'short\n',
      ),
      'the password must have at least 8 characters',
    );
    expect(await withRepositories((repos) => repos.users.findById(TENANT, aliceId))).toEqual(before);
  });

  it('user set-password --password-stdin sets the new password, records when, ends sessions and revokes refresh tokens', async () => {
    const family = await withRepositories(async (repos) => {
      await seedSession(repos, aliceId);
      return seedRefreshFamily(repos, aliceId, SPA_CLIENT_ID, 'password-spa');
    });
    const before = Math.floor(Date.now() / 1000);
    const output = singleJsonObject(
      await gatehouse(
        [
          'user',
          'set-password',
          '--tenant',
          TENANT,
          '--actor',
          'user',
          '--username',
          'alice',
          '--password-stdin',
          '--json',
        ],
        'a brand new passphrase\n',
      ),
    );
    const after = Math.floor(Date.now() / 1000);
    expect(output).toEqual({ id: aliceId });
    await withRepositories(async (repos) => {
      const alice = (await repos.users.findById(TENANT, aliceId))!;
      expect(await verifySecret(alice.passwordHash, 'a brand new passphrase')).toBe(true);
      expect(await verifySecret(alice.passwordHash, 'correct horse battery staple')).toBe(false);
      expect(alice.passwordChangedAt).toBeGreaterThanOrEqual(before);
      expect(alice.passwordChangedAt).toBeLessThanOrEqual(after);
      expect(await hasSession(repos)).toBe(false);
      expect(await isRevoked(repos, family)).toBe(true);
    });
  });

  it("consent revoke --json withdraws the consent for one client and revokes only that client's refresh tokens", async () => {
    const { spaFamily, webFamily } = await withRepositories(async (repos) => {
      for (const clientId of [SPA_CLIENT_ID, webClientId]) {
        await repos.consents.grant(
          { tenantId: TENANT, realmId: `${TENANT}-U`, userId: aliceId, clientId, scopes: [READ] },
          Math.floor(Date.now() / 1000),
        );
      }
      return {
        spaFamily: await seedRefreshFamily(repos, aliceId, SPA_CLIENT_ID, 'consent-spa'),
        webFamily: await seedRefreshFamily(repos, aliceId, webClientId, 'consent-web'),
      };
    });
    const output = singleJsonObject(
      await gatehouse([
        'consent',
        'revoke',
        '--tenant',
        TENANT,
        '--actor',
        'user',
        '--username',
        'alice',
        '--client-id',
        SPA_CLIENT_ID,
        '--json',
      ]),
    );
    expect(output).toEqual({ id: aliceId, client_id: SPA_CLIENT_ID });
    await withRepositories(async (repos) => {
      expect(await repos.consents.grantedScopes(aliceId, SPA_CLIENT_ID)).toEqual([]);
      expect(await repos.consents.grantedScopes(aliceId, webClientId)).toEqual([READ]);
      expect(await isRevoked(repos, spaFamily)).toBe(true);
      expect(await isRevoked(repos, webFamily)).toBe(false);
    });
  });

  it('keys rotate --json names the new key and how long the previous one stays published (86400 s by default)', async () => {
    const before = Math.floor(Date.now() / 1000);
    const output = singleJsonObject(await gatehouse(['keys', 'rotate', '--tenant', TENANT, '--json']));
    const after = Math.floor(Date.now() / 1000);
    expect(Object.keys(output).sort()).toEqual(['kid', 'kids', 'previous_keys_published_until', 'tenant']);
    expect(output.tenant).toBe(TENANT);
    // RFC 7638 thumbprint: base64url SHA-256; one new key per algorithm, kid naming the ES256 one.
    expect(output.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(output.kids).toEqual({ ES256: output.kid, RS256: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(output.previous_keys_published_until).toBeGreaterThanOrEqual(before + 86_400);
    expect(output.previous_keys_published_until).toBeLessThanOrEqual(after + 86_400);
  });

  it("refuses an unknown option with exit code 2 and one plain line naming the command's valid options (issue 12)", async () => {
    expectRefused(
      await gatehouse(['tenant', 'create', '--bogus']),
      'unknown option --bogus for "tenant create"; valid options: --id, --name, --api-domain, --json, --database, --public-url, --help',
    );
  });
});
