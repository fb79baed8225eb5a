import { api } from '../api.js';
import { CopyButton } from '../components/copy-button.js';
import { Status } from '../components/status.js';
import { useLoad } from '../hooks.js';
import type { ClientMetadata } from '../types.js';

const METADATA_ROWS = [
  ['authorization_url', 'Authorization URL'],
  ['token_url', 'Access Token URL'],
  ['domain_url', 'Domain URL'],
  ['metadata_url', 'Metadata URL'],
] as const;

/** The client's Metadata: per realm, the four URLs an integrator configures, each with Copy. */
export function MetadataView({ path }: { path: string }) {
  const metadata = useLoad(() => api.get<ClientMetadata>(`${path}/metadata`), [path]);
  if (metadata.error) return <Status error={metadata.error} />;
  if (!metadata.data) return <p role="status">Loading metadata…</p>;
  const { client_id, realms } = metadata.data;
  return (
    <section aria-labelledby="metadata-title" class="metadata">
      <h2 id="metadata-title">Metadata</h2>
      <dl class="facts">
        <dt>Client ID</dt>
        <dd>
          <code data-metadata="client_id">{client_id}</code> <CopyButton value={client_id} label="Copy client ID" />
        </dd>
      </dl>
      {realms.map((realm) => (
        <section key={realm.realm} class="realm" aria-labelledby={`realm-${realm.realm}`} data-realm={realm.realm}>
          <h3 id={`realm-${realm.realm}`}>
            Realm {realm.realm} <span class="hint">({realm.actor === 'customer' ? 'customers' : 'users'})</span>
          </h3>
          <dl class="urls">
            {METADATA_ROWS.map(([key, label]) => (
              <div key={key} class="url-row">
                <dt>{label}</dt>
                <dd>
                  <code data-metadata={key}>{realm[key]}</code>
                  <CopyButton value={realm[key]} label={`Copy ${label} of ${realm.realm}`} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </section>
  );
}
