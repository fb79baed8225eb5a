import { useState } from 'preact/hooks';
import { api, seg, withQuery } from '../api.js';
import { Field, fieldErrors, OtherFieldErrors } from '../components/fields.js';
import { Link } from '../components/link.js';
import { ListSummary, LoadMore, TableWrap } from '../components/list-parts.js';
import { Status } from '../components/status.js';
import { formatTime, usePaged } from '../hooks.js';
import type { Actor, Page, User } from '../types.js';
import { useTitle } from './title.js';

export const ACTOR_LABELS = { user: 'User (agent, realm -U)', customer: 'Customer (realm -C)' } as const;

export function UsersView({ tenant }: { tenant: string }) {
  useTitle(`Users · ${tenant}`);
  const [q, setQ] = useState('');
  const [actor, setActor] = useState<Actor | ''>('');
  const [message, setMessage] = useState<string>();
  const list = usePaged(
    (cursor) => api.get<Page<User>>(withQuery(`/tenants/${seg(tenant)}/users`, { q, actor, cursor })),
    [tenant, q, actor],
  );
  return (
    <>
      <h1>Users</h1>
      <search>
        <form class="search filters" onSubmit={(event) => event.preventDefault()}>
          <div>
            <label for="user-q">Search by username or email</label>
            <input id="user-q" type="search" value={q} onInput={(event) => setQ(event.currentTarget.value)} />
          </div>
          <div>
            <label for="user-actor">Kind</label>
            <select
              id="user-actor"
              value={actor}
              onChange={(event) => setActor(event.currentTarget.value as Actor | '')}
            >
              <option value="">All</option>
              <option value="user">Users (agents)</option>
              <option value="customer">Customers</option>
            </select>
          </div>
        </form>
      </search>
      <Status error={list.error} message={message} />
      <ListSummary loading={list.loading} count={list.data?.length} noun="user" />
      {list.data && list.data.length > 0 && (
        <TableWrap label="Users">
          <table>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Kind</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((user) => (
                <tr key={user.id}>
                  <th scope="row" data-label="Username">
                    <Link to={`tenants/${seg(tenant)}/users/${seg(user.id)}`}>{user.username}</Link>
                  </th>
                  <td data-label="Kind">{user.actor === 'user' ? 'User' : 'Customer'}</td>
                  <td data-label="Email">{user.email ?? '—'}</td>
                  <td data-label="Status">
                    <span class={user.enabled ? 'badge on' : 'badge off'}>{user.enabled ? 'Enabled' : 'Disabled'}</span>
                  </td>
                  <td data-label="Created">{formatTime(user.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
      <CreateUser
        tenant={tenant}
        onCreated={(user) => {
          setMessage(`${ACTOR_LABELS[user.actor].split(' ')[0]} ${user.username} created.`);
          list.reload();
        }}
      />
    </>
  );
}

function CreateUser({ tenant, onCreated }: { tenant: string; onCreated: (user: User) => void }) {
  const empty = { actor: 'user' as Actor, username: '', email: '', password: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>();
  const errors = fieldErrors(error);
  return (
    <section aria-labelledby="create-user">
      <h2 id="create-user">Create user</h2>
      <form
        noValidate
        autocomplete="off"
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            const body = { ...form, email: form.email.trim() || undefined };
            const user = await api.post<User>(withQuery(`/tenants/${seg(tenant)}/users`, { actor: form.actor }), body);
            setError(undefined);
            setForm(empty);
            onCreated(user);
          } catch (caught) {
            setError(caught);
          }
        }}
      >
        <Status error={error} />
        <Field label="Kind" name="actor" errors={errors}>
          {(p) => (
            <select
              {...p}
              value={form.actor}
              onChange={(e) => setForm({ ...form, actor: e.currentTarget.value as Actor })}
            >
              <option value="user">{ACTOR_LABELS.user}</option>
              <option value="customer">{ACTOR_LABELS.customer}</option>
            </select>
          )}
        </Field>
        <Field label="Username" name="username" errors={errors}>
          {(p) => (
            <input
              {...p}
              value={form.username}
              onInput={(e) => setForm({ ...form, username: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field label="Email (optional)" name="email" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="email"
              value={form.email}
              onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field label="Password" name="password" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="password"
              autocomplete="new-password"
              value={form.password}
              onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
            />
          )}
        </Field>
        <OtherFieldErrors errors={errors} shown={['actor', 'username', 'email', 'password']} />
        <button type="submit">Create user</button>
      </form>
    </section>
  );
}
