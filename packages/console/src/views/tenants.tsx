import { useState } from 'preact/hooks';
import { ApiError, api, withQuery } from '../api.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { Field, fieldErrors, OtherFieldErrors } from '../components/fields.js';
import { Link } from '../components/link.js';
import { ListSummary, LoadMore, TableWrap } from '../components/list-parts.js';
import { Status } from '../components/status.js';
import { formatTime, usePaged } from '../hooks.js';
import type { Me, Page, Tenant } from '../types.js';
import { useTitle } from './title.js';

export function TenantsView({ me }: { me: Me }) {
  useTitle('Tenants');
  const [q, setQ] = useState('');
  const [outcome, setOutcome] = useState<{ error?: unknown; message?: string }>({});
  const list = usePaged((cursor) => api.get<Page<Tenant>>(withQuery('/tenants', { q, cursor })), [q]);
  return (
    <>
      <h1>Tenants</h1>
      <search>
        <form class="search" onSubmit={(event) => event.preventDefault()}>
          <label for="tenant-q">Search tenants</label>
          <input id="tenant-q" type="search" value={q} onInput={(event) => setQ(event.currentTarget.value)} />
        </form>
      </search>
      <Status error={list.error ?? outcome.error} message={outcome.message} />
      <ListSummary loading={list.loading} count={list.data?.length} noun="tenant" />
      {list.data && list.data.length > 0 && (
        <TableWrap label="Tenants">
          <table>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Name</th>
                <th scope="col">API domain</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((tenant) => (
                <TenantRow
                  key={tenant.id}
                  tenant={tenant}
                  canDelete={me.role === 'operator'}
                  onChanged={(message) => {
                    setOutcome({ message });
                    list.reload();
                  }}
                  onError={(error) => setOutcome({ error })}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
      {me.role === 'operator' && (
        <CreateTenant
          onCreated={(tenant) => {
            setOutcome({ message: `Tenant ${tenant.id} created.` });
            list.reload();
          }}
        />
      )}
    </>
  );
}

function TenantRow(props: {
  tenant: Tenant;
  canDelete: boolean;
  onChanged: (message: string) => void;
  onError: (error: unknown) => void;
}) {
  const { tenant } = props;
  const [editing, setEditing] = useState(false);
  const [notEmpty, setNotEmpty] = useState(false);
  const base = `tenants/${encodeURIComponent(tenant.id)}`;
  return (
    <tr>
      <th scope="row" data-label="ID">
        <Link to={`${base}/clients`}>{tenant.id}</Link>
      </th>
      <td data-label="Name">
        {editing ? (
          <EditTenant
            tenant={tenant}
            onDone={(message) => {
              setEditing(false);
              if (message) props.onChanged(message);
            }}
          />
        ) : (
          tenant.name
        )}
      </td>
      <td data-label="API domain">{editing ? '' : <code>{tenant.api_domain}</code>}</td>
      <td data-label="Created">{formatTime(tenant.created_at)}</td>
      <td data-label="Actions" class="actions">
        {!editing && (
          <button
            type="button"
            class="secondary small"
            onClick={() => setEditing(true)}
            aria-label={`Edit tenant ${tenant.id}`}
          >
            Edit
          </button>
        )}
        {props.canDelete && (
          <ConfirmButton
            small
            label="Delete"
            name={`Delete tenant ${tenant.id}`}
            question={`Delete tenant ${tenant.id}? Only an empty tenant can be deleted.`}
            confirmLabel={`Delete ${tenant.id}`}
            onConfirm={() =>
              api.delete(`/tenants/${encodeURIComponent(tenant.id)}`).then(
                () => props.onChanged(`Tenant ${tenant.id} deleted.`),
                (error: unknown) => {
                  // 409: not empty. Deleting everything in it is offered, asked separately.
                  if (error instanceof ApiError && error.status === 409) setNotEmpty(true);
                  props.onError(error);
                },
              )
            }
          />
        )}
        {props.canDelete && notEmpty && (
          <ConfirmButton
            small
            label="Delete with contents"
            name={`Delete tenant ${tenant.id} with its contents`}
            question={`Delete tenant ${tenant.id} with all its client applications, users, scopes and keys? This cannot be undone.`}
            confirmLabel={`Delete ${tenant.id} and its contents`}
            onConfirm={() =>
              api
                .delete(`/tenants/${encodeURIComponent(tenant.id)}?cascade=true`)
                .then(() => props.onChanged(`Tenant ${tenant.id} and its contents deleted.`), props.onError)
            }
          />
        )}
      </td>
    </tr>
  );
}

function EditTenant({ tenant, onDone }: { tenant: Tenant; onDone: (message?: string) => void }) {
  const [name, setName] = useState(tenant.name);
  const [apiDomain, setApiDomain] = useState(tenant.api_domain);
  const [error, setError] = useState<unknown>();
  const errors = fieldErrors(error);
  return (
    <form
      class="inline-form"
      noValidate
      aria-label={`Edit tenant ${tenant.id}`}
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await api.patch(`/tenants/${encodeURIComponent(tenant.id)}`, { name, api_domain: apiDomain });
          onDone(`Tenant ${tenant.id} saved.`);
        } catch (caught) {
          setError(caught);
        }
      }}
    >
      <Status error={error} />
      <Field label="Name" name="name" errors={errors}>
        {(props) => <input {...props} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="API domain" name="api_domain" errors={errors}>
        {(props) => (
          <input {...props} type="url" value={apiDomain} onInput={(e) => setApiDomain(e.currentTarget.value)} />
        )}
      </Field>
      <button type="submit">Save</button>{' '}
      <button type="button" class="secondary" onClick={() => onDone()}>
        Cancel
      </button>
    </form>
  );
}

function CreateTenant({ onCreated }: { onCreated: (tenant: Tenant) => void }) {
  const [form, setForm] = useState({ id: '', name: '', api_domain: '' });
  const [error, setError] = useState<unknown>();
  const errors = fieldErrors(error);
  const set = (key: keyof typeof form) => (event: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form, [key]: event.currentTarget.value });
  return (
    <section aria-labelledby="create-tenant">
      <h2 id="create-tenant">Create tenant</h2>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            const tenant = await api.post<Tenant>('/tenants', form);
            setError(undefined);
            setForm({ id: '', name: '', api_domain: '' });
            onCreated(tenant);
          } catch (caught) {
            setError(caught);
          }
        }}
      >
        <Status error={error} />
        <Field
          label="Tenant ID"
          name="id"
          errors={errors}
          hint="Upper-case letters and digits; part of every issuer URL."
        >
          {(props) => <input {...props} value={form.id} onInput={set('id')} />}
        </Field>
        <Field label="Name" name="name" errors={errors}>
          {(props) => <input {...props} value={form.name} onInput={set('name')} />}
        </Field>
        <Field label="API domain" name="api_domain" errors={errors} hint="The audience of this tenant's access tokens.">
          {(props) => <input {...props} type="url" value={form.api_domain} onInput={set('api_domain')} />}
        </Field>
        <OtherFieldErrors errors={errors} shown={['id', 'name', 'api_domain']} />
        <button type="submit">Create tenant</button>
      </form>
    </section>
  );
}
