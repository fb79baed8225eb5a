#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createClient, getClientMetadata, setClientDisabled } from './admin/clients.js';
import { DEMO, seedDemo } from './admin/demo.js';
import { formatDoctorReport, runDoctor } from './admin/doctor.js';
import { AdminInputError } from './admin/errors.js';
import { reencryptKeys, rotateKeys } from './admin/keys.js';
import { KeyEncryptionError } from './keys/key-encryption.js';
import { createScope, createTenant } from './admin/tenants.js';
import { createUser, revokeConsent, setUserDisabled, setUserPassword } from './admin/users.js';
import { ConfigError, loadConfig, type GatehouseConfig } from './config.js';
import { createContext, type AppContext } from './context.js';
import { migrateToLatest, openDatabase } from './store/database.js';

const USAGE = `gatehouse <command> [options]   (every command accepts --json and --database)

  start [--port N] [--host H] [--public-url URL] [--trust-proxy ADDR[,CIDR...]] [--demo]
  migrate
  tenant create --id ID --name NAME --api-domain URL
  scope create --tenant ID --name SCOPE --description TEXT
  client create --tenant ID --name NAME --platform spa|web --resource-type user|customer|global
                --redirect-uri URI (repeatable) --scope SCOPE (repeatable) [--client-id UUID] [--consent required|skip]
                [--post-logout-redirect-uri URI (repeatable)] [--refresh-tokens on|off]
                [--refresh-absolute-ttl SECONDS] [--refresh-idle-ttl SECONDS] [--refresh-grace SECONDS]
                [--id-token-alg RS256|ES256]   (default RS256, OIDC Dynamic Client Registration §2)
  client metadata --tenant ID --client-id UUID
  client disable|enable --tenant ID --client-id UUID
  user create --tenant ID --actor user|customer --username NAME [--email EMAIL] --password-stdin
  user set-password --tenant ID --actor user|customer --username NAME --password-stdin
  user disable|enable --tenant ID --actor user|customer --username NAME
  consent revoke --tenant ID --actor user|customer --username NAME --client-id UUID
  doctor [--max-key-age-days N]   audits the deployment (RFC 9700 / OAuth 2.1); exit 1 on any error
  keys rotate --tenant ID
  keys reencrypt --new-key-file PATH   (or GATEHOUSE_NEW_KEY_ENCRYPTION_KEY; the current key from
                GATEHOUSE_KEY_ENCRYPTION_KEY[_FILE] when the keys are already encrypted)

Database: --database or GATEHOUSE_DATABASE (SQLite file path or postgres:// URL), default ./data/gatehouse.sqlite`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean' },
  database: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'public-url': { type: 'string' },
  'trust-proxy': { type: 'string' },
  demo: { type: 'boolean' },
  id: { type: 'string' },
  name: { type: 'string' },
  'api-domain': { type: 'string' },
  tenant: { type: 'string' },
  description: { type: 'string' },
  platform: { type: 'string' },
  'resource-type': { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  'client-id': { type: 'string' },
  consent: { type: 'string' },
  actor: { type: 'string' },
  username: { type: 'string' },
  email: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'refresh-tokens': { type: 'string' },
  'refresh-absolute-ttl': { type: 'string' },
  'refresh-idle-ttl': { type: 'string' },
  'refresh-grace': { type: 'string' },
  'id-token-alg': { type: 'string' },
  'new-key-file': { type: 'string' },
  'max-key-age-days': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
type Command = (ctx: AppContext, flags: Flags) => Promise<{ json: unknown; text: string; exitCode?: number }>;

const COMMANDS: Record<string, Command> = {
  'tenant create': async (ctx, flags) => {
    const tenant = await createTenant(ctx, { id: flags.id, name: flags.name, apiDomain: flags['api-domain'] });
    return {
      json: { tenant: { id: tenant.id, name: tenant.name, api_domain: tenant.apiDomain } },
      text: `created tenant ${tenant.id}`,
    };
  },
  'scope create': async (ctx, flags) => {
    const scope = await createScope(ctx, { tenant: flags.tenant, name: flags.name, description: flags.description });
    return { json: { scope }, text: `created scope ${scope.name} in ${scope.tenant}` };
  },
  'client create': async (ctx, flags) => {
    const { client, secret, metadata } = await createClient(ctx, {
      tenant: flags.tenant,
      name: flags.name,
      platform: flags.platform,
      resourceType: flags['resource-type'],
      redirectUris: flags['redirect-uri'],
      scopes: flags.scope,
      clientId: flags['client-id'],
      consent: flags.consent,
      postLogoutRedirectUris: flags['post-logout-redirect-uri'],
      refreshTokens: flags['refresh-tokens'],
      refreshAbsoluteTtlSeconds: flags['refresh-absolute-ttl'],
      refreshIdleTtlSeconds: flags['refresh-idle-ttl'],
      refreshGraceSeconds: flags['refresh-grace'],
      idTokenAlg: flags['id-token-alg'],
    });
    const text = [
      `created client ${client.clientId}`,
      secret ? `client secret (shown once, store it now): ${secret}` : '',
      formatMetadata(metadata),
    ]
      .filter(Boolean)
      .join('\n');
    return { json: { client_id: client.clientId, ...(secret ? { client_secret: secret } : {}), metadata }, text };
  },
  'client metadata': async (ctx, flags) => {
    const metadata = await getClientMetadata(ctx, { tenant: flags.tenant, clientId: flags['client-id'] });
    return { json: { metadata }, text: formatMetadata(metadata) };
  },
  'client disable': async (ctx, flags) => {
    const result = await setClientDisabled(ctx, { tenant: flags.tenant, clientId: flags['client-id'] }, true);
    return { json: result, text: `disabled client ${result.client_id}` };
  },
  'client enable': async (ctx, flags) => {
    const result = await setClientDisabled(ctx, { tenant: flags.tenant, clientId: flags['client-id'] }, false);
    return { json: result, text: `enabled client ${result.client_id}` };
  },
  'user disable': async (ctx, flags) => {
    const result = await setUserDisabled(
      ctx,
      { tenant: flags.tenant, actor: flags.actor, username: flags.username },
      true,
    );
    return { json: result, text: `disabled ${flags.username}: sessions ended, refresh tokens revoked` };
  },
  'user enable': async (ctx, flags) => {
    const result = await setUserDisabled(
      ctx,
      { tenant: flags.tenant, actor: flags.actor, username: flags.username },
      false,
    );
    return { json: result, text: `enabled ${flags.username}` };
  },
  'user set-password': async (ctx, flags) => {
    if (!flags['password-stdin'])
      throw new AdminInputError('--password-stdin is required (passwords are never taken from the command line)');
    const result = await setUserPassword(ctx, {
      tenant: flags.tenant,
      actor: flags.actor,
      username: flags.username,
      password: await readPasswordFromStdin(),
    });
    return { json: result, text: `password changed for ${flags.username}: sessions ended, refresh tokens revoked` };
  },
  'consent revoke': async (ctx, flags) => {
    const result = await revokeConsent(ctx, {
      tenant: flags.tenant,
      actor: flags.actor,
      username: flags.username,
      clientId: flags['client-id'],
    });
    return {
      json: result,
      text: `consent of ${flags.username} for ${result.client_id} revoked with its refresh tokens`,
    };
  },
  'user create': async (ctx, flags) => {
    if (!flags['password-stdin'])
      throw new AdminInputError('--password-stdin is required (passwords are never taken from the command line)');
    const user = await createUser(ctx, {
      tenant: flags.tenant,
      actor: flags.actor,
      username: flags.username,
      email: flags.email,
      password: await readPasswordFromStdin(),
    });
    return {
      json: {
        user: { id: user.id, tenant: user.tenantId, actor: user.actor, username: user.username, email: user.email },
      },
      text: `created ${user.actor} ${user.username} (${user.id})`,
    };
  },
  'keys rotate': async (ctx, flags) => {
    const result = await rotateKeys(ctx, { tenant: flags.tenant });
    return {
      json: result,
      text: `new signing keys for ${result.tenant}: ES256 ${result.kids.ES256}, RS256 ${result.kids.RS256}`,
    };
  },
  'keys reencrypt': async (ctx, flags) => {
    const file = flags['new-key-file'];
    const result = await reencryptKeys(ctx, {
      newKey: file ? readKeyFile(file) : process.env.GATEHOUSE_NEW_KEY_ENCRYPTION_KEY,
      source: '--new-key-file PATH or GATEHOUSE_NEW_KEY_ENCRYPTION_KEY',
    });
    return {
      json: result,
      text: `${result.keys} signing keys encrypted with key-encryption key ${result.kek_fingerprint}; restart every instance with it`,
    };
  },
  migrate: async () => ({ json: { migrated: true }, text: 'database is up to date' }),
  doctor: async (ctx, flags) => {
    const maxKeyAgeDays = flags['max-key-age-days'];
    if (maxKeyAgeDays !== undefined && !/^[1-9]\d{0,4}$/.test(maxKeyAgeDays))
      throw new AdminInputError('--max-key-age-days must be a whole number of days from 1 to 99999');
    const report = await runDoctor(ctx, { maxKeyAgeDays: maxKeyAgeDays ? Number(maxKeyAgeDays) : undefined });
    return { json: report, text: formatDoctorReport(report), exitCode: report.errors > 0 ? 1 : 0 };
  },
};

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return fail((error as Error).message, argv.includes('--json'));
  }
  const { values: flags, positionals } = parsed;
  const json = flags.json === true;
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) return fail('missing command (see gatehouse --help)', json);
  const name =
    positionals[0] === 'start' || positionals[0] === 'migrate' ? positionals[0] : positionals.slice(0, 2).join(' ');

  let config: GatehouseConfig;
  try {
    config = loadConfig({
      database: flags.database,
      port: flags.port,
      host: flags.host,
      publicUrl: flags['public-url'],
      trustProxy: flags['trust-proxy'],
    });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, json);
    throw error;
  }
  if (name === 'start')
    return start(config, flags.demo === true, json).catch((error: unknown) => {
      if (error instanceof KeyEncryptionError) return fail(`refusing to start: ${error.message}`, json);
      throw error;
    });
  const command = COMMANDS[name];
  if (!command) return fail(`unknown command: ${positionals.join(' ')} (see gatehouse --help)`, json);

  const database = openDatabase(config.database, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    await migrateToLatest(database.db);
    const ctx = await createContext(config, database);
    const result = await command(ctx, flags);
    process.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof AdminInputError || error instanceof KeyEncryptionError) return fail(error.message, json);
    throw error;
  } finally {
    await database.close();
  }
}

async function start(config: GatehouseConfig, demo: boolean, json: boolean): Promise<number> {
  // Loaded here so admin commands never load the web layer (Fastify).
  const { startServer } = await import('./server.js');
  const server = await startServer(config, { seedDemo: demo ? seedDemo : undefined });
  const lines = [
    `Gatehouse listening on http://${config.host}:${server.port} (public URL ${config.publicUrl})`,
    `database: ${server.database.dialect}`,
  ];
  if (server.demo?.created && server.demo.metadata) {
    lines.push(
      '',
      'Demo data created:',
      formatMetadata(server.demo.metadata),
      `  agent (realm ${DEMO.tenantId}-U):    username ${DEMO.agent.username}  password ${DEMO.agent.password}`,
      `  customer (realm ${DEMO.tenantId}-C): username ${DEMO.customer.username}  password ${DEMO.customer.password}`,
      `  demo API introspection client: ${DEMO.apiClient.clientId} (secret ${DEMO.apiClient.secret}; demo only)`,
    );
  }
  process.stdout.write(
    json
      ? `${JSON.stringify({ listening: `http://${config.host}:${server.port}`, public_url: config.publicUrl, demo: server.demo ?? null })}\n`
      : `${lines.join('\n')}\n`,
  );
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      void server.close().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function formatMetadata(metadata: import('./admin/clients.js').ClientMetadata): string {
  const lines = [
    `  client_id: ${metadata.client_id} (${metadata.platform}, ${metadata.resource_type})`,
    `  scopes: ${metadata.scopes.join(' ')}`,
  ];
  for (const realm of Object.values(metadata.realms)) {
    lines.push(
      `  realm ${realm.realm}:`,
      `    Authorization URL: ${realm.authorization_url}`,
      `    Token URL:         ${realm.token_url}`,
      `    Domain URL:        ${realm.domain_url}`,
      `    Metadata URL:      ${realm.metadata_url}`,
    );
  }
  return lines.join('\n');
}

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AdminInputError(
      `cannot read --new-key-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

function fail(message: string, json: boolean): number {
  process.stderr.write(json ? `${JSON.stringify({ error: message })}\n` : `gatehouse: ${message}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gatehouse: unexpected error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
