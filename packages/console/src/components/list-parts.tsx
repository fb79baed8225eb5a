import type { ComponentChildren } from 'preact';

/** A data table that scrolls sideways on narrow screens instead of squeezing its columns. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

export function LoadMore({ hasMore, loading, onClick }: { hasMore: boolean; loading: boolean; onClick: () => void }) {
  if (!hasMore) return null;
  return (
    <p>
      <button type="button" class="secondary" disabled={loading} onClick={onClick}>
        Load more
      </button>
    </p>
  );
}

/** A list's state for screen readers and everyone: loading, or how many rows are shown. */
export function ListSummary({ loading, count, noun }: { loading: boolean; count: number | undefined; noun: string }) {
  return (
    <p class="list-summary" role="status" aria-live="polite">
      {loading
        ? 'Loading…'
        : count === undefined
          ? ''
          : count === 0
            ? `No ${noun}s.`
            : `${count} ${noun}${count === 1 ? '' : 's'} shown.`}
    </p>
  );
}
