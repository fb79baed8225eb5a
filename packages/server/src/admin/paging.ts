import type { Page, PageRequest } from '../store/paging.js';
import { AdminInputError } from './errors.js';

/** List input of the CLI and the API: `q`, `limit` (default 50, at most 200) and an opaque `cursor`. */
export interface ListInput {
  readonly q?: string | undefined;
  readonly limit?: number | string | undefined;
  readonly cursor?: string | undefined;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function readPage(input: ListInput): PageRequest {
  const raw = input.limit ?? DEFAULT_PAGE_SIZE;
  const limit = typeof raw === 'number' ? raw : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new AdminInputError(`--limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, '/limit');
  let after: string | undefined;
  if (input.cursor !== undefined && input.cursor !== '') {
    after = Buffer.from(input.cursor, 'base64url').toString('utf8');
    if (!after || Buffer.from(after, 'utf8').toString('base64url') !== input.cursor)
      throw new AdminInputError('--cursor is not a cursor this server returned', '/cursor');
  }
  return { q: input.q?.trim() || undefined, limit, after };
}

/** The wire form of a page: `{ items, next_cursor }`. */
export function pageView<T, V>(page: Page<T>, view: (item: T) => V): { items: V[]; next_cursor: string | null } {
  return {
    items: page.items.map(view),
    next_cursor: page.nextAfter === null ? null : Buffer.from(page.nextAfter, 'utf8').toString('base64url'),
  };
}
