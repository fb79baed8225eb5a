import { parseArgs } from 'node:util';
import type { AdminCaller } from '../admin/caller.js';
import type { AppContext } from '../context.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly description: string;
  /** Shown in --help; the admin function applies it. */
  readonly default?: string;
  readonly required?: boolean;
}

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface CommandOutput {
  readonly json: unknown;
  readonly text: string;
  /** Default 0; `doctor` exits 1 when it finds an error. */
  readonly exitCode?: number;
}

export interface Command {
  /** One to three words: `migrate`, `client create`, `admin api-key create`. */
  readonly name: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly run: (ctx: AppContext, flags: Flags, caller: AdminCaller, env: CliEnvironment) => Promise<CommandOutput>;
}

export interface CliEnvironment {
  /** False when no --public-url, GATEHOUSE_PUBLIC_URL or stored setting says where Gatehouse is. */
  readonly publicUrlKnown: boolean;
}

export const PUBLIC_URL_UNKNOWN =
  'metadata not shown: the public URL is not set (pass --public-url, set GATEHOUSE_PUBLIC_URL, or run `gatehouse migrate --public-url URL` once to store it)';

/** Flags every command takes. */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { type: 'boolean', description: 'print one JSON object instead of text' },
  database: {
    type: 'string',
    description: 'SQLite file path or postgres:// URL (or GATEHOUSE_DATABASE)',
    default: './data/gatehouse.sqlite',
  },
  'public-url': {
    type: 'string',
    description: 'the URL clients reach Gatehouse at (or GATEHOUSE_PUBLIC_URL, or the one stored by start/migrate)',
  },
  help: { type: 'boolean', description: "explain this command's flags" },
};

export class UsageError extends Error {}

/** Parses `args` (after the command words) against the command's flags and the global ones. */
export function parseCommandFlags(command: Pick<Command, 'name' | 'flags'>, args: readonly string[]): Flags {
  const specs = { ...GLOBAL_FLAGS, ...command.flags };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument ${positionals[0]} for "${command.name}"; ${validFlags(command)}`);
    return values as Flags;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    const option = /'(-{1,2}[^' ]+)/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`unknown option ${option} for "${command.name}"; ${validFlags(command)}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(
        `option ${option.split(' ')[0]} of "${command.name}" needs a value (see gatehouse ${command.name} --help)`,
      );
    throw new UsageError(`invalid arguments for "${command.name}" (see gatehouse ${command.name} --help)`);
  }
}

function validFlags(command: Pick<Command, 'flags'>): string {
  const own = Object.keys(command.flags).map((name) => `--${name}`);
  return `valid options: ${[...own, '--json', '--database', '--public-url', '--help'].join(', ')}`;
}

/** `gatehouse <command> --help`: each flag with what it does and its default. */
export function commandHelp(command: Command): string {
  const lines = [`gatehouse ${command.name}: ${command.summary}`, '', 'Options:'];
  const entries = [...Object.entries(command.flags), ...Object.entries(GLOBAL_FLAGS)];
  const width = Math.max(...entries.map(([name, spec]) => flagLabel(name, spec).length));
  for (const [name, spec] of entries) {
    const notes = [
      spec.required ? 'required' : '',
      spec.multiple ? 'repeatable' : '',
      spec.default !== undefined ? `default: ${spec.default}` : '',
    ].filter(Boolean);
    lines.push(
      `  ${flagLabel(name, spec).padEnd(width)}  ${spec.description}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    );
  }
  return lines.join('\n');
}

function flagLabel(name: string, spec: FlagSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${name.replace(/-/g, '_').toUpperCase()}`;
}

export const str = (flags: Flags, name: string): string | undefined => {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
};
export const list = (flags: Flags, name: string): string[] | undefined => {
  const value = flags[name];
  return Array.isArray(value) ? value : undefined;
};
export const bool = (flags: Flags, name: string): boolean => flags[name] === true;

/** Passwords never come from the command line (shell history, process lists). */
export async function readPasswordFromStdin(flags: Flags): Promise<string> {
  if (!bool(flags, 'password-stdin'))
    throw new UsageError('--password-stdin is required (passwords are never taken from the command line)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** A list as aligned text lines, with a hint about the next page. */
export function formatList<T>(
  page: { items: T[]; next_cursor: string | null },
  line: (item: T) => string,
  empty: string,
): string {
  if (page.items.length === 0) return empty;
  const lines = page.items.map(line);
  if (page.next_cursor) lines.push(`(more: --cursor ${page.next_cursor})`);
  return lines.join('\n');
}

export const LIST_FLAGS: Readonly<Record<string, FlagSpec>> = {
  q: { type: 'string', description: 'only items containing this text (ignoring case)' },
  limit: { type: 'string', description: 'items per page, 1 to 200', default: '50' },
  cursor: { type: 'string', description: 'the next page, as printed after a full page' },
};
