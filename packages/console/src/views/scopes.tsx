import { useState } from 'preact/hooks';
import { api, seg, withQuery } from '../api.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { Field, fieldErrors, OtherFieldErrors } from '../components/fields.js';
import { ListSummary, LoadMore, TableWrap } from '../components/list-parts.js';
import { Status } from '../components/status.js';
import { usePaged } from '../hooks.js';
import type { Page, Scope } from '../types.js';
import { useTitle } from './title.js';

export function ScopesView({ tenant }: { tenant: string }) {
  useTitle(`Scopes · ${tenant}`);
  const [q, setQ] = useState('');
  const [outcome, setOutcome] = useState<{ error?: unknown; message?: string }>({});
  const base = `/tenants/${seg(tenant)}/scopes`;
  const list = usePaged((cursor) => api.get<Page<Scope>>(withQuery(base, { q, cursor })), [tenant, q]);
  const changed = (message: string) => {
    setOutcome({ message });
    list.reload();
  };
  return (
    <>
      <h1>Scopes</h1>
      <p class="lead">
        The permissions client applications of {tenant} may ask for; the description is shown on the consent page.
      </p>
      <search>
        <form class="search" onSubmit={(event) => event.preventDefault()}>
          <label for="scope-q">Search scopes</label>
          <input id="scope-q" type="search" value={q} onInput={(event) => setQ(event.currentTarget.value)} />
        </form>
      </search>
      <Status error={list.error ?? outcome.error} message={outcome.message} />
      <ListSummary loading={list.loading} count={list.data?.length} noun="scope" />
      {list.data && list.data.length > 0 && (
        <TableWrap label="Scopes">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((scope) => (
                <ScopeRow
                  key={scope.name}
                  base={base}
                  scope={scope}
                  onChanged={changed}
                  onError={(error) => setOutcome({ error })}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
      <CreateScope base={base} onCreated={(scope) => changed(`Scope ${scope.name} created.`)} />
    </>
  );
}

function ScopeRow(props: {
  base: string;
  scope: Scope;
  onChanged: (m: string) => void;
  onError: (e: unknown) => void;
}) {
  const { scope, base } = props;
  const [editing, setEditing] = useState(false);
  const [description, setDescription] = useState(scope.description);
  const [error, setError] = useState<unknown>();
  const errors = fieldErrors(error);
  return (
    <tr>
      <th scope="row" data-label="Name">
        <code>{scope.name}</code>
      </th>
      <td data-label="Description">
        {editing ? (
          <form
            class="inline-form"
            noValidate
            aria-label={`Edit scope ${scope.name}`}
            onSubmit={async (event) => {
              event.preventDefault();
              try {
                await api.patch(`${base}/${seg(scope.name)}`, { description });
                setEditing(false);
                props.onChanged(`Scope ${scope.name} saved.`);
              } catch (caught) {
                setError(caught);
              }
            }}
          >
            <Status error={error} />
            <Field label="Description" name="description" errors={errors}>
              {(p) => <input {...p} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
            </Field>
            <button type="submit">Save</button>{' '}
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          scope.description
        )}
      </td>
      <td data-label="Actions" class="actions">
        {!editing && (
          <button
            type="button"
            class="secondary small"
            aria-label={`Edit scope ${scope.name}`}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
        )}
        <ConfirmButton
          small
          label="Delete"
          name={`Delete scope ${scope.name}`}
          question={`Delete scope ${scope.name}? Refused while a client application holds it.`}
          confirmLabel={`Delete ${scope.name}`}
          onConfirm={() =>
            api
              .delete(`${base}/${seg(scope.name)}`)
              .then(() => props.onChanged(`Scope ${scope.name} deleted.`), props.onError)
          }
        />
      </td>
    </tr>
  );
}

function CreateScope({ base, onCreated }: { base: string; onCreated: (scope: Scope) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>();
  const errors = fieldErrors(error);
  return (
    <section aria-labelledby="create-scope">
      <h2 id="create-scope">Create scope</h2>
      <form
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            const scope = await api.post<Scope>(base, { name, description });
            setError(undefined);
            setName('');
            setDescription('');
            onCreated(scope);
          } catch (caught) {
            setError(caught);
          }
        }}
      >
        <Status error={error} />
        <Field label="Name" name="name" errors={errors} hint="e.g. core.aiservices.read">
          {(p) => <input {...p} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Description" name="description" errors={errors}>
          {(p) => <input {...p} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <OtherFieldErrors errors={errors} shown={['name', 'description']} />
        <button type="submit">Create scope</button>
      </form>
    </section>
  );
}
