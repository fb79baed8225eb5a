import { useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ListSummary, TableWrap } from '../components/list-parts.js';
import { Status } from '../components/status.js';
import { formatTime, useLoad } from '../hooks.js';
import type { Page, SigningKey } from '../types.js';
import { useTitle } from './title.js';

export function KeysView({ tenant }: { tenant: string }) {
  useTitle(`Signing keys · ${tenant}`);
  const path = `/tenants/${seg(tenant)}/keys`;
  const keys = useLoad(() => api.get<Page<SigningKey>>(path), [path]);
  const [outcome, setOutcome] = useState<{ error?: unknown; message?: string }>({});
  return (
    <>
      <h1>Signing keys</h1>
      <p class="lead">
        Tokens of {tenant} are signed with the active key. After a rotation the previous key stays published until it
        retires, so tokens it signed still verify.
      </p>
      <Status error={keys.error ?? outcome.error} message={outcome.message} />
      <ListSummary loading={keys.loading} count={keys.data?.items.length} noun="key" />
      {keys.data && keys.data.items.length > 0 && (
        <TableWrap label="Signing keys">
          <table>
            <thead>
              <tr>
                <th scope="col">Key ID</th>
                <th scope="col">Algorithm</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Retires</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.kid}>
                  <th scope="row" data-label="Key ID">
                    <code>{key.kid}</code>
                  </th>
                  <td data-label="Algorithm">{key.alg}</td>
                  <td data-label="State">
                    <span class={key.state === 'active' ? 'badge on' : 'badge'}>{key.state}</span>
                  </td>
                  <td data-label="Created">{formatTime(key.created_at)}</td>
                  <td data-label="Retires">{formatTime(key.retire_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <ConfirmButton
        label="Rotate signing key"
        question={`Create a new signing key for ${tenant}? The current key keeps verifying until it retires.`}
        confirmLabel="Rotate now"
        danger={false}
        onConfirm={() =>
          api.post<SigningKey>(`${path}/rotate`).then(
            (key) => {
              setOutcome({ message: `New key ${key.kid} is active.` });
              keys.reload();
            },
            (error: unknown) => setOutcome({ error }),
          )
        }
      />
    </>
  );
}
