/**
 * Whether an error means the database cannot be reached right now (an outage, a failover, a
 * restart, connections cut by `pg_terminate_backend`, a pool that cannot connect) rather than a
 * bug. Such requests are answered 503 `temporarily_unavailable` (RFC 6749 §4.1.2.1, §5.2 by
 * extension) and are safe to retry: nothing was acknowledged. Issue 12, found 8.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODE.test(code)) return true;
  // Node reports a refused connection to several addresses as an AggregateError.
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  return UNAVAILABLE_MESSAGE.test(error.message);
}

/**
 * PostgreSQL SQLSTATE class 08 (connection exception), 57P01-57P03 (administrator shutdown,
 * crash shutdown, cannot connect now), 53300 (too many connections), 28000 (the role may not
 * log in, as during maintenance); Node socket errors; SQLite busy beyond its timeout.
 */
const UNAVAILABLE_CODE =
  /^(08[0-9A-Z]{3}|57P0[1-3]|53300|28000|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|SQLITE_BUSY\w*|SQLITE_LOCKED\w*)$/;

/** What the pg driver says when a connection died under it or could not be made in time. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|terminating connection due to|the database system is (starting up|shutting down|in recovery mode)/i;
