#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { AdminCaller } from './admin/caller.js';
import { AdminError } from './admin/errors.js';
import { ADMIN_COMMANDS } from './cli/admin-commands.js';
import { CLIENT_COMMANDS } from './cli/client-commands.js';
import { SECURITY_COMMANDS } from './cli/security-commands.js';
import { KeyEncryptionError } from './keys/key-encryption.js';
import { type Command, commandHelp, type Flags, GLOBAL_FLAGS, parseCommandFlags, str, UsageError } from './cli/spec.js';
import { start, START_FLAGS } from './cli/start-command.js';
import { TENANT_COMMANDS } from './cli/tenant-commands.js';
import { USER_COMMANDS } from './cli/user-commands.js';
import { ConfigError, type GatehouseConfig, loadConfig } from './config.js';
import { databaseStartupError } from './startup-errors.js';
import { createContext } from './context.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './store/database.js';
import { createRepositories } from './store/repositories.js';

const START: Command = {
  name: 'start',
  summary: 'run the server (stores an explicit --public-url for later CLI runs)',
  flags: START_FLAGS,
  run: async () => ({ json: null, text: '' }),
};
const COMMANDS: readonly Command[] = [
  START,
  ...TENANT_COMMANDS,
  ...CLIENT_COMMANDS,
  ...USER_COMMANDS,
  ...ADMIN_COMMANDS,
  ...SECURITY_COMMANDS,
];
/** The deployment setting that remembers the public URL (issue 9: no localhost by accident). */
const PUBLIC_URL_SETTING = 'public_url';

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'gatehouse <command> [options]     gatehouse <command> --help explains each option',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Every command takes:',
    ...Object.entries(GLOBAL_FLAGS).map(([name, spec]) => `  --${name.padEnd(12)} ${spec.description}`),
    '',
    'A SQLite file must exist (create it with `gatehouse migrate`) except for migrate and start.',
  ].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The longest run of leading words that names a command. */
function findCommand(words: readonly string[]): Command | undefined {
  for (let length = Math.min(3, words.length); length > 0; length--) {
    const name = words.slice(0, length).join(' ');
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command) return command;
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(json ? `${JSON.stringify({ version: version() })}\n` : `gatehouse ${version()}\n`);
    return 0;
  }
  const firstFlag = argv.findIndex((arg) => arg.startsWith('-'));
  const words = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
  const command = findCommand(words);
  if (!command) {
    if (words.length === 0 && argv.includes('--help')) return print(usage());
    if (words.length === 0) return fail('missing command (see gatehouse --help)', json);
    const group = COMMANDS.filter((candidate) => candidate.name.startsWith(`${words[0]} `));
    if (group.length > 0 && words.length === 1 && argv.includes('--help'))
      return print(group.map((candidate) => `gatehouse ${candidate.name}: ${candidate.summary}`).join('\n'));
    return fail(`unknown command: ${words.join(' ')} (see gatehouse --help)`, json);
  }
  const rest = argv.slice(command.name.split(' ').length);
  let flags: Flags;
  try {
    flags = parseCommandFlags(command, rest);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, json);
    throw error;
  }
  if (flags.help) return print(commandHelp(command));

  const explicitPublicUrl = str(flags, 'public-url') ?? (process.env.GATEHOUSE_PUBLIC_URL || undefined);
  let config: GatehouseConfig;
  try {
    config = loadConfig({
      database: str(flags, 'database'),
      port: str(flags, 'port'),
      host: str(flags, 'host'),
      publicUrl: explicitPublicUrl,
      metricsPort: str(flags, 'metrics-port'),
      shutdownTimeoutSeconds: str(flags, 'shutdown-timeout'),
      trustProxy: str(flags, 'trust-proxy'),
    });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, json);
    throw error;
  }
  const creates = command.name === 'start' || command.name === 'migrate';
  const file = sqliteFile(config.database);
  // A typo'd --database must not silently create an empty database (issue 9).
  if (!creates && file !== undefined && !existsSync(file))
    return fail(`no database at ${file} (create it with gatehouse migrate, or check --database)`, json);

  let database: DatabaseHandle;
  try {
    database = openDatabase(config.database, {
      sqliteSynchronous: config.sqliteSynchronous,
      // One command's few writes need no writer thread (`start` opens its own handle below).
      sqliteWriter: 'inline',
    });
    await migrateToLatest(database.db);
  } catch (error) {
    // Unreachable or missing database: one plain line and exit code 1 (issue 10).
    const reason = databaseStartupError((error as { cause?: unknown }).cause ?? error, config);
    process.stderr.write(json ? `${JSON.stringify({ error: reason.message })}\n` : `gatehouse: ${reason.message}\n`);
    return 1;
  }
  let closed = false;
  try {
    const publicUrlKnown = await resolvePublicUrl(database, explicitPublicUrl, creates);
    if (!explicitPublicUrl && publicUrlKnown)
      config = loadConfig({ ...configOverrides(flags), publicUrl: publicUrlKnown });
    if (command.name === 'start') {
      await database.close();
      closed = true;
      return start(config, flags.demo === true, json);
    }
    const ctx = await createContext(config, database);
    const result = await command.run(ctx, flags, cliCaller(), { publicUrlKnown: publicUrlKnown !== undefined });
    process.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    if (
      error instanceof AdminError ||
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof KeyEncryptionError
    )
      return fail(error.message, json);
    throw error;
  } finally {
    if (!closed) await database.close();
  }
}

function configOverrides(flags: Flags): Record<string, string | undefined> {
  return {
    database: str(flags, 'database'),
    port: str(flags, 'port'),
    host: str(flags, 'host'),
    metricsPort: str(flags, 'metrics-port'),
    shutdownTimeoutSeconds: str(flags, 'shutdown-timeout'),
  };
}

/**
 * The public URL: explicit (flag or environment; `start` and `migrate` store it for later runs),
 * else the stored one, else unknown (undefined).
 */
async function resolvePublicUrl(
  database: DatabaseHandle,
  explicit: string | undefined,
  store: boolean,
): Promise<string | undefined> {
  const settings = createRepositories(database.db).settings;
  if (explicit) {
    const normalized = loadConfig({ publicUrl: explicit }, {}).publicUrl;
    if (store) await settings.set(PUBLIC_URL_SETTING, normalized, Math.floor(Date.now() / 1000));
    return normalized;
  }
  return settings.get(PUBLIC_URL_SETTING);
}

function sqliteFile(url: string): string | undefined {
  if (/^postgres(ql)?:\/\//.test(url)) return undefined;
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return path === ':memory:' ? undefined : path;
}

/** The audit trail names the operating-system account that ran the command. */
function cliCaller(): AdminCaller {
  let account = 'unknown';
  try {
    account = userInfo().username;
  } catch {
    // No passwd entry (some containers): the command still runs.
  }
  return { actor: { kind: 'system', id: 'cli', name: `cli:${account}` }, grant: { role: 'operator', tenants: [] } };
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
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
