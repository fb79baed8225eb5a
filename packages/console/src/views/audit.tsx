import { useState } from 'preact/hooks';
import { api, withQuery } from '../api.js';
import { ListSummary, LoadMore, TableWrap } from '../components/list-parts.js';
import { Status } from '../components/status.js';
import { formatTime, isoTime, usePaged } from '../hooks.js';
import type { AuditEvent, Page } from '../types.js';
import { useTitle } from './title.js';

interface Filters {
  tenant: string;
  type: string;
  actor: string;
  since: string;
  until: string;
}

const EMPTY: Filters = { tenant: '', type: '', actor: '', since: '', until: '' };

/** A datetime-local value as epoch seconds, or undefined when empty. */
function toEpoch(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function AuditView({ tenant: fixedTenant }: { tenant?: string }) {
  useTitle('Audit events');
  const [draft, setDraft] = useState<Filters>({ ...EMPTY, tenant: fixedTenant ?? '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const list = usePaged(
    (cursor) =>
      api.get<Page<AuditEvent>>(
        withQuery('/audit-events', {
          tenant: filters.tenant,
          type: filters.type,
          actor: filters.actor,
          since: toEpoch(filters.since),
          until: toEpoch(filters.until),
          cursor,
        }),
      ),
    [filters],
  );
  const input = (key: keyof Filters, label: string, type = 'text') => (
    <div>
      <label for={`audit-${key}`}>{label}</label>
      <input
        id={`audit-${key}`}
        type={type}
        value={draft[key]}
        onInput={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
      />
    </div>
  );
  return (
    <>
      <h1>Audit events</h1>
      <form
        class="filters"
        aria-label="Filter audit events"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        {input('tenant', 'Tenant')}
        {input('type', 'Event type')}
        {input('actor', 'Actor')}
        {input('since', 'Since', 'datetime-local')}
        {input('until', 'Until', 'datetime-local')}
        <div class="filter-buttons">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <Status error={list.error} />
      <ListSummary loading={list.loading} count={list.data?.length} noun="event" />
      {list.data && list.data.length > 0 && (
        <TableWrap label="Audit events">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Tenant</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((event) => (
                <tr key={event.id}>
                  <td data-label="When">
                    <time dateTime={isoTime(event.at)}>{formatTime(event.at)}</time>
                  </td>
                  <th scope="row" data-label="Event">
                    <code>{event.type}</code>
                  </th>
                  <td data-label="Tenant">{event.tenant ?? '—'}</td>
                  <td data-label="Actor">
                    {event.actor.name ?? event.actor.id ?? '—'} <span class="hint">({event.actor.kind})</span>
                  </td>
                  <td data-label="Target" class="target">
                    {event.target ? <code>{event.target}</code> : '—'}
                  </td>
                  <td data-label="Details">
                    <AuditDetails event={event} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </>
  );
}

function AuditDetails({ event }: { event: AuditEvent }) {
  const parts = (['before', 'after', 'detail'] as const).filter(
    (key) => event[key] !== null && event[key] !== undefined,
  );
  if (parts.length === 0) return <>—</>;
  return (
    <details>
      <summary>Show</summary>
      {parts.map((key) => (
        <div key={key}>
          <p class="hint">{key}</p>
          <pre>{JSON.stringify(event[key], null, 2)}</pre>
        </div>
      ))}
    </details>
  );
}
