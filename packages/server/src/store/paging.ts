import { sql, type Expression, type SqlBool } from 'kysely';
/** Keyset pagination shared by the admin list queries: stable under inserts, no OFFSET scans. */

export interface PageRequest {
  /** Case-insensitive substring filter; empty or undefined matches everything. */
  readonly q?: string | undefined;
  /** Items per page (1-200). */
  readonly limit: number;
  /** The sort key of the last item of the previous page (decoded from `next_cursor`). */
  readonly after?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  /** Sort key of the last item when more follow, else null. */
  readonly nextAfter: string | null;
}

/** `%q%` for LIKE with `\` as the escape character, lower-cased (compare with lower(column)). */
function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column` contains `q`, ignoring case, on both dialects (SQLite's LIKE has no default escape
 * character, PostgreSQL's is case-sensitive: hence lower() and an explicit ESCAPE).
 */
export function containsIgnoringCase(columns: readonly string[], q: string): Expression<SqlBool> {
  const pattern = containsPattern(q);
  const tests = columns.map((column) => sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`);
  return sql<SqlBool>`(${sql.join(tests, sql` or `)})`;
}

/** Rows were fetched with `limit + 1`: the extra one only says that another page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > limit && last !== undefined ? keyOf(last) : null };
}
