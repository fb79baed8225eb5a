import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from './types.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
  /** Shows `data` at once (e.g. the resource a PATCH answered with) and drops any load in flight. */
  replace(data: T): void;
}

/** Runs `load` when `deps` change (and on reload()); a late answer for old deps is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => call === latest.current && setState({ data, loading: false }),
      (error: unknown) => call === latest.current && setState({ error, loading: false }),
    );
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const replace = useCallback((data: T) => {
    latest.current += 1;
    setState({ data, loading: false });
  }, []);
  return { ...state, data: state.data, error: state.error, reload, replace };
}

export interface Paged<T> extends Omit<Loaded<T[]>, 'replace'> {
  readonly hasMore: boolean;
  loadMore(): void;
}

/** A cursor-paginated list (`{ items, next_cursor }`): the first page, then more on demand. */
export function usePaged<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
): Paged<T> {
  const [pages, setPages] = useState<{ items: T[]; cursor: string | null }>({ items: [], cursor: null });
  const [more, setMore] = useState<{ error?: unknown; loading: boolean }>({ loading: false });
  const first = useLoad(() => fetchPage(undefined), deps);
  useEffect(() => {
    if (first.data) setPages({ items: first.data.items, cursor: first.data.next_cursor });
  }, [first.data]);
  const loadMore = () => {
    if (!pages.cursor) return;
    setMore({ loading: true });
    fetchPage(pages.cursor).then(
      (page) => {
        setPages((previous) => ({ items: [...previous.items, ...page.items], cursor: page.next_cursor }));
        setMore({ loading: false });
      },
      (error: unknown) => setMore({ error, loading: false }),
    );
  };
  return {
    data: first.data ? pages.items : undefined,
    error: first.error ?? more.error,
    loading: first.loading || more.loading,
    reload: first.reload,
    hasMore: pages.cursor !== null,
    loadMore,
  };
}

/** Epoch seconds as a readable local date and time. */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
