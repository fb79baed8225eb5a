import { useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { CopyButton } from '../components/copy-button.js';
import { Link } from '../components/link.js';
import { Status } from '../components/status.js';
import { formatTime, useLoad } from '../hooks.js';
import { takeSecretFor, keepSecretFor } from '../one-time.js';
import { navigate } from '../router.js';
import type { Client, RotatedSecret } from '../types.js';
import { ClientForm } from './client-form.js';
import { MetadataView } from './client-metadata.js';
import { RotateSecret, SecretShownOnce } from './client-secret.js';
import { PLATFORM_LABELS, RESOURCE_TYPE_LABELS } from './clients.js';
import { useTitle } from './title.js';

export type ClientTab = 'overview' | 'metadata' | 'edit';

export function RegisterClientView({ tenant }: { tenant: string }) {
  useTitle(`Register client application · ${tenant}`);
  const list = `tenants/${seg(tenant)}/clients`;
  return (
    <>
      <h1>Register client application</h1>
      <ClientForm
        tenant={tenant}
        onSaved={(client) => {
          if (client.client_secret) keepSecretFor(client.client_id, client.client_secret);
          navigate(`${list}/${seg(client.client_id)}/metadata`);
        }}
        onCancel={() => navigate(list)}
      />
    </>
  );
}

export function ClientDetailView({ tenant, clientId, tab }: { tenant: string; clientId: string; tab: ClientTab }) {
  const path = `/tenants/${seg(tenant)}/clients/${seg(clientId)}`;
  const route = `tenants/${seg(tenant)}/clients/${seg(clientId)}`;
  const client = useLoad(() => api.get<Client>(path), [path]);
  const [secret, setSecret] = useState(() => takeSecretFor(clientId));
  const [outcome, setOutcome] = useState<{ error?: unknown; message?: string }>({});
  useTitle(`${client.data?.name ?? 'Client application'} · ${tenant}`);
  const tabs: [ClientTab, string, string][] = [
    ['overview', 'Overview', route],
    ['metadata', 'Metadata', `${route}/metadata`],
    ['edit', 'Edit', `${route}/edit`],
  ];
  const current = client.data;
  return (
    <>
      <p class="breadcrumb">
        <Link to={`tenants/${seg(tenant)}/clients`}>Client applications</Link> ›
      </p>
      <div class="title-row">
        <h1>{current?.name ?? 'Client application'}</h1>
        {current && (
          <span class={current.enabled ? 'badge on' : 'badge off'}>{current.enabled ? 'Enabled' : 'Disabled'}</span>
        )}
      </div>
      <nav class="tabs" aria-label="Client application">
        <ul>
          {tabs.map(([key, label, to]) => (
            <li key={key}>
              <Link to={to} current={tab === key}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Status error={client.error ?? outcome.error} message={outcome.message} />
      {secret && <SecretShownOnce secret={secret} onDismiss={() => setSecret(undefined)} />}
      {current && tab === 'overview' && (
        <Overview
          client={current}
          path={path}
          onChanged={(message, updated) => {
            client.replace(updated);
            setOutcome({ message });
          }}
          onError={(error) => setOutcome({ error })}
          onSecret={(rotated) => {
            setSecret(rotated.client_secret);
            setOutcome({
              message: rotated.old_secret_expires_at
                ? `New client secret created; the old one keeps working until ${formatTime(rotated.old_secret_expires_at)}.`
                : 'New client secret created; the old one no longer works.',
            });
          }}
          onDeleted={() => navigate(`tenants/${seg(tenant)}/clients`)}
        />
      )}
      {current && tab === 'metadata' && <MetadataView path={path} />}
      {current && tab === 'edit' && (
        <ClientForm
          tenant={tenant}
          client={current}
          onSaved={(saved) => {
            client.replace(saved);
            setOutcome({ message: 'Changes saved.' });
            navigate(route);
          }}
          onCancel={() => navigate(route)}
        />
      )}
    </>
  );
}

function Overview(props: {
  client: Client;
  path: string;
  onChanged: (message: string, updated: Client) => void;
  onError: (error: unknown) => void;
  onSecret: (rotated: RotatedSecret) => void;
  onDeleted: () => void;
}) {
  const { client, path } = props;
  const setEnabled = (enabled: boolean) =>
    api
      .patch<Client>(path, { enabled })
      .then(
        (updated) => props.onChanged(`${client.name} ${enabled ? 'enabled' : 'disabled'}.`, updated),
        props.onError,
      );
  return (
    <>
      <dl class="facts">
        <dt>Client ID</dt>
        <dd>
          <code>{client.client_id}</code> <CopyButton value={client.client_id} label="Copy client ID" />
        </dd>
        <dt>Platform</dt>
        <dd>{PLATFORM_LABELS[client.platform]}</dd>
        <dt>Resource type</dt>
        <dd>{RESOURCE_TYPE_LABELS[client.resource_type]}</dd>
        <dt>Redirect URIs</dt>
        <dd>
          <UriList uris={client.redirect_uris} />
        </dd>
        <dt>Post-logout redirect URIs</dt>
        <dd>
          <UriList uris={client.post_logout_redirect_uris} />
        </dd>
        <dt>Scopes</dt>
        <dd>
          {client.scopes.length > 0
            ? client.scopes.map((s) => (
                <code key={s} class="tag">
                  {s}
                </code>
              ))
            : 'none'}
        </dd>
        <dt>Consent</dt>
        <dd>{client.consent === 'required' ? 'Asked' : 'Skipped'}</dd>
        <dt>Refresh tokens</dt>
        <dd>
          {client.refresh_tokens.enabled
            ? `Issued; valid ${client.refresh_tokens.absolute_ttl_seconds} s at most, ${client.refresh_tokens.idle_ttl_seconds} s unused`
            : 'Not issued'}
        </dd>
        <dt>Registered</dt>
        <dd>{formatTime(client.created_at)}</dd>
      </dl>
      <section aria-labelledby="client-actions" class="actions-panel">
        <h2 id="client-actions">Actions</h2>
        <div class="action">
          <h3>{client.enabled ? 'Disable' : 'Enable'}</h3>
          <p class="hint">
            {client.enabled
              ? 'A disabled application cannot start sign-ins or redeem refresh tokens.'
              : 'Sign-ins with this application are refused until it is enabled.'}
          </p>
          {client.enabled ? (
            <ConfirmButton
              label="Disable"
              question={`Disable ${client.name}? Nobody can sign in with it until it is enabled again.`}
              confirmLabel={`Disable ${client.name}`}
              onConfirm={() => setEnabled(false)}
            />
          ) : (
            <button type="button" onClick={() => void setEnabled(true)}>
              Enable
            </button>
          )}
        </div>
        {client.platform === 'web' && <RotateSecret path={path} onRotated={props.onSecret} onError={props.onError} />}
        <div class="action">
          <h3>Delete</h3>
          <p class="hint">Removes the application and revokes its refresh tokens.</p>
          <ConfirmButton
            label="Delete"
            question={`Delete ${client.name}? Its refresh tokens are revoked; this cannot be undone.`}
            confirmLabel={`Delete ${client.name}`}
            onConfirm={() => api.delete(path).then(props.onDeleted, props.onError)}
          />
        </div>
      </section>
    </>
  );
}

function UriList({ uris }: { uris: readonly string[] }) {
  if (uris.length === 0) return <>none</>;
  return (
    <ul class="plain">
      {uris.map((uri) => (
        <li key={uri}>
          <code>{uri}</code>
        </li>
      ))}
    </ul>
  );
}
