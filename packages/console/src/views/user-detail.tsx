import { useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { Field, fieldErrors } from '../components/fields.js';
import { Link } from '../components/link.js';
import { ListSummary, TableWrap } from '../components/list-parts.js';
import { Status } from '../components/status.js';
import { formatTime, useLoad } from '../hooks.js';
import { navigate } from '../router.js';
import type { Consent, Page, User } from '../types.js';
import { useTitle } from './title.js';
import { ACTOR_LABELS } from './users.js';

export function UserDetailView({ tenant, userId }: { tenant: string; userId: string }) {
  const path = `/tenants/${seg(tenant)}/users/${seg(userId)}`;
  const user = useLoad(() => api.get<User>(path), [path]);
  const consents = useLoad(() => api.get<Page<Consent>>(`${path}/consents`), [path]);
  const [outcome, setOutcome] = useState<{ error?: unknown; message?: string }>({});
  useTitle(`${user.data?.username ?? 'User'} · ${tenant}`);
  const current = user.data;
  const failed = (error: unknown) => setOutcome({ error });
  const done = (message: string) => {
    setOutcome({ message });
    consents.reload();
  };
  /** The consent is gone: drop its row at once rather than asking for the list again. */
  const withdrawn = (consent: Consent) => {
    const page = consents.data;
    if (page) consents.replace({ ...page, items: page.items.filter((c) => c.client_id !== consent.client_id) });
    setOutcome({ message: `Consent for ${consent.client_name} withdrawn.` });
  };
  const setEnabled = (enabled: boolean) =>
    api.patch<User>(path, { enabled }).then((updated) => {
      user.replace(updated);
      done(`${updated.username} ${enabled ? 'enabled' : 'disabled'}.`);
    }, failed);
  return (
    <>
      <p class="breadcrumb">
        <Link to={`tenants/${seg(tenant)}/users`}>Users</Link> ›
      </p>
      <div class="title-row">
        <h1>{current?.username ?? 'User'}</h1>
        {current && (
          <span class={current.enabled ? 'badge on' : 'badge off'}>{current.enabled ? 'Enabled' : 'Disabled'}</span>
        )}
      </div>
      <Status error={user.error ?? outcome.error} message={outcome.message} />
      {current && (
        <>
          <dl class="facts">
            <dt>User ID</dt>
            <dd>
              <code>{current.id}</code>
            </dd>
            <dt>Kind</dt>
            <dd>{ACTOR_LABELS[current.actor]}</dd>
            <dt>Email</dt>
            <dd>{current.email ?? '—'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(current.created_at)}</dd>
          </dl>
          <section aria-labelledby="user-actions" class="actions-panel">
            <h2 id="user-actions">Actions</h2>
            <div class="action">
              <h3>{current.enabled ? 'Disable' : 'Enable'}</h3>
              {current.enabled ? (
                <ConfirmButton
                  label="Disable"
                  question={`Disable ${current.username}? They can no longer sign in.`}
                  confirmLabel={`Disable ${current.username}`}
                  onConfirm={() => setEnabled(false)}
                />
              ) : (
                <button type="button" onClick={() => setEnabled(true)}>
                  Enable
                </button>
              )}
            </div>
            <ResetPassword path={path} onDone={() => done(`Password of ${current.username} reset.`)} />
            <div class="action">
              <h3>Delete</h3>
              <ConfirmButton
                label="Delete"
                question={`Delete ${current.username}? Their sessions, consents and tokens go with them.`}
                confirmLabel={`Delete ${current.username}`}
                onConfirm={() => api.delete(path).then(() => navigate(`tenants/${seg(tenant)}/users`), failed)}
              />
            </div>
          </section>
          <section aria-labelledby="user-consents">
            <h2 id="user-consents">Consents</h2>
            <Status error={consents.error} />
            <ListSummary loading={consents.loading} count={consents.data?.items.length} noun="consent" />
            {consents.data && consents.data.items.length > 0 && (
              <TableWrap label="Consents">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Application</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Granted</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {consents.data.items.map((consent) => (
                      <tr key={consent.client_id}>
                        <th scope="row" data-label="Application">
                          {consent.client_name}
                        </th>
                        <td data-label="Scopes">
                          {consent.scopes.map((s) => (
                            <code key={s} class="tag">
                              {s}
                            </code>
                          ))}
                        </td>
                        <td data-label="Granted">{formatTime(consent.granted_at)}</td>
                        <td data-label="Actions">
                          <ConfirmButton
                            small
                            label="Withdraw"
                            name={`Withdraw consent for ${consent.client_name}`}
                            question={`Withdraw consent for ${consent.client_name}? It will ask again at the next sign-in.`}
                            confirmLabel={`Withdraw consent for ${consent.client_name}`}
                            onConfirm={() =>
                              api
                                .delete(`${path}/consents/${seg(consent.client_id)}`)
                                .then(() => withdrawn(consent), failed)
                            }
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
        </>
      )}
    </>
  );
}

function ResetPassword({ path, onDone }: { path: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const errors = fieldErrors(error);
  return (
    <form
      class="action"
      noValidate
      aria-label="Reset password"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await api.post(`${path}/password`, { password });
          setError(undefined);
          setPassword('');
          onDone();
        } catch (caught) {
          setError(caught);
        }
      }}
    >
      <h3>Reset password</h3>
      <Status error={error && Object.keys(errors).length === 0 ? error : undefined} />
      <Field label="New password" name="password" errors={errors}>
        {(p) => (
          <input
            {...p}
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" class="secondary">
        Reset password
      </button>
    </form>
  );
}
