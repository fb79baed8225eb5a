import { settingName, type GatehouseConfig } from './config.js';

/**
 * A start-up failure a person can fix without reading a stack trace: one plain line naming what
 * went wrong and the setting involved. The CLI prints it and exits with code 1.
 */
export class StartupError extends Error {}

/** A database URL without its password, fit for a message. */
export function describeDatabase(database: string): string {
  try {
    const url = new URL(database);
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') {
      url.password = '';
      url.search = '';
      return url.toString();
    }
  } catch {
    // A SQLite path.
  }
  return database;
}

/** Turns a failure to open or migrate the database into a StartupError, when it is one a person can fix. */
export function databaseStartupError(error: unknown, config: GatehouseConfig): Error {
  const where = `${describeDatabase(config.database)} (${settingName('database')})`;
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  // PostgreSQL SQLSTATE 3D000: invalid_catalog_name.
  if (code === '3D000') return new StartupError(`the database does not exist: ${where}; create it first (createdb)`);
  if (code === '28P01' || code === '28000') return new StartupError(`the database refused the credentials: ${where}`);
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH'
  )
    return new StartupError(`cannot reach the database: ${where} (${code})`);
  // pg's own connection timeout (connectionTimeoutMillis) has no code, only a message.
  if (/timeout/i.test(message)) return new StartupError(`cannot reach the database: ${where} (connection timed out)`);
  if (['SQLITE_CANTOPEN', 'EACCES', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOENT'].includes(code ?? ''))
    return new StartupError(`cannot open the SQLite database: ${where} (${code})`);
  return error instanceof Error ? error : new Error(message);
}

/** Turns a failure to listen into a StartupError naming the port setting. */
export function listenStartupError(error: unknown, host: string, port: number, key: 'port' | 'metricsPort'): Error {
  const code = (error as { code?: string }).code;
  const setting = settingName(key);
  if (code === 'EADDRINUSE')
    return new StartupError(`port ${port} on ${host} is already in use; choose another with ${setting}`);
  if (code === 'EACCES')
    return new StartupError(`not allowed to listen on port ${port} on ${host}; choose another with ${setting}`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupError(`cannot listen on ${host}: no such local address; check ${settingName('host')}`);
  return error instanceof Error ? error : new Error(String(error));
}
