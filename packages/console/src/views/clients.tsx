import { useState } from 'preact/hooks';
import { api, seg, withQuery } from '../api.js';
import { Link } from '../components/link.js';
import { ListSummary, LoadMore, TableWrap } from '../components/list-parts.js';
import { Status } from '../components/status.js';
import { usePaged } from '../hooks.js';
import type { Client, Page } from '../types.js';
import { useTitle } from './title.js';

export const PLATFORM_LABELS = { spa: 'Single-page app (SPA)', web: 'Web application' } as const;
export const RESOURCE_TYPE_LABELS = {
  user: 'Users (agents, realm -U)',
  customer: 'Customers (realm -C)',
  global: 'Both (users and customers)',
} as const;

export function ClientsView({ tenant }: { tenant: string }) {
  useTitle(`Client applications · ${tenant}`);
  const [q, setQ] = useState('');
  const list = usePaged(
    (cursor) => api.get<Page<Client>>(withQuery(`/tenants/${seg(tenant)}/clients`, { q, cursor })),
    [tenant, q],
  );
  const base = `tenants/${seg(tenant)}/clients`;
  return (
    <>
      <div class="title-row">
        <h1>Client applications</h1>
        <Link to={`${base}/new`} class="button">
          Register client application
        </Link>
      </div>
      <search>
        <form class="search" onSubmit={(event) => event.preventDefault()}>
          <label for="client-q">Search client applications</label>
          <input id="client-q" type="search" value={q} onInput={(event) => setQ(event.currentTarget.value)} />
        </form>
      </search>
      <Status error={list.error} />
      <ListSummary loading={list.loading} count={list.data?.length} noun="client application" />
      {list.data && list.data.length > 0 && (
        <TableWrap label="Client applications">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Platform</th>
                <th scope="col">Resource type</th>
                <th scope="col">Status</th>
                <th scope="col">Client ID</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((client) => (
                <tr key={client.client_id}>
                  <th scope="row" data-label="Name">
                    <Link to={`${base}/${seg(client.client_id)}`}>{client.name}</Link>
                  </th>
                  <td data-label="Platform">{client.platform === 'spa' ? 'SPA' : 'Web'}</td>
                  <td data-label="Resource type">{client.resource_type}</td>
                  <td data-label="Status">
                    <span class={client.enabled ? 'badge on' : 'badge off'}>
                      {client.enabled ? 'Enabled' : 'Disabled'}
                    </span>
                  </td>
                  <td data-label="Client ID">
                    <code>{client.client_id}</code>
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
