/** One invalid field of an RFC 9457 problem; `field` is a JSON pointer such as `/redirect_uris/0`. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Messages per top-level body property, in the order the API listed them. */
export type FieldErrors = Readonly<Record<string, string[]>>;

/**
 * Groups a problem's field errors by the body property they point into (RFC 6901 pointers):
 * `/redirect_uris/1` belongs to `redirect_uris` and says which line, counted from 1 as people
 * count, since the form shows a list as one line per item. A pointer to the whole body (`''` or
 * `/`) is grouped under `''`.
 */
export function groupFieldErrors(problems: readonly FieldProblem[]): FieldErrors {
  const grouped: Record<string, string[]> = {};
  for (const { field, message } of problems) {
    const [, first = '', index] = field.split('/');
    const name = first.replace(/~1/g, '/').replace(/~0/g, '~');
    const text = index !== undefined && /^\d+$/.test(index) ? `Line ${Number(index) + 1}: ${message}` : message;
    grouped[name] = [...(grouped[name] ?? []), text];
  }
  return grouped;
}
