import { useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { Field, fieldErrors, lines, OtherFieldErrors } from '../components/fields.js';
import { Status } from '../components/status.js';
import { useLoad } from '../hooks.js';
import type { Client, CreatedClient, Page, Platform, ResourceType, Scope } from '../types.js';
import { PLATFORM_LABELS, RESOURCE_TYPE_LABELS } from './clients.js';

export interface ClientFormValues {
  name: string;
  platform: Platform;
  resource_type: ResourceType;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  scopes: string[];
  consent: 'required' | 'skip';
  refresh_enabled: boolean;
}

export function valuesOf(client: Client): ClientFormValues {
  return {
    name: client.name,
    platform: client.platform,
    resource_type: client.resource_type,
    redirect_uris: client.redirect_uris.join('\n'),
    post_logout_redirect_uris: client.post_logout_redirect_uris.join('\n'),
    scopes: client.scopes,
    consent: client.consent,
    refresh_enabled: client.refresh_tokens.enabled,
  };
}

const EMPTY: ClientFormValues = {
  name: '',
  platform: 'spa',
  resource_type: 'user',
  redirect_uris: '',
  post_logout_redirect_uris: '',
  scopes: [],
  consent: 'required',
  refresh_enabled: true,
};

const SHOWN = ['name', 'platform', 'resource_type', 'redirect_uris', 'post_logout_redirect_uris', 'scopes', 'consent'];

interface ClientFormProps {
  readonly tenant: string;
  /** The client being edited; registering a new one when absent. */
  readonly client?: Client;
  readonly onSaved: (client: CreatedClient) => void;
  readonly onCancel: () => void;
}

/**
 * "Register client application" and "Edit": one form. Platform and resource type are fixed once
 * registered (the API does not change them), so editing shows them read-only.
 */
export function ClientForm({ tenant, client, onSaved, onCancel }: ClientFormProps) {
  const [values, setValues] = useState<ClientFormValues>(client ? valuesOf(client) : EMPTY);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const scopes = useLoad(() => api.get<Page<Scope>>(`/tenants/${seg(tenant)}/scopes?limit=100`), [tenant]);
  const errors = fieldErrors(error);
  const set = <K extends keyof ClientFormValues>(key: K, value: ClientFormValues[K]) =>
    setValues((previous) => ({ ...previous, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const common = {
      name: values.name.trim(),
      redirect_uris: lines(values.redirect_uris),
      post_logout_redirect_uris: lines(values.post_logout_redirect_uris),
      scopes: values.scopes,
      consent: values.consent,
    };
    try {
      const saved = client
        ? await api.patch<Client>(`/tenants/${seg(tenant)}/clients/${seg(client.client_id)}`, {
            ...common,
            refresh_tokens: { ...client.refresh_tokens, enabled: values.refresh_enabled },
          })
        : await api.post<CreatedClient>(`/tenants/${seg(tenant)}/clients`, {
            ...common,
            platform: values.platform,
            resource_type: values.resource_type,
          });
      setError(undefined);
      onSaved(saved);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="client-form" noValidate onSubmit={submit} aria-busy={busy}>
      <Status error={error} />
      <Field label="Name" name="name" errors={errors} hint="Shown to people on the consent page.">
        {(p) => <input {...p} value={values.name} onInput={(e) => set('name', e.currentTarget.value)} />}
      </Field>
      <fieldset class={errors.platform ? 'invalid' : undefined} disabled={Boolean(client)}>
        <legend>Platform</legend>
        {(['spa', 'web'] as const).map((platform) => (
          <label key={platform} class="choice">
            <input
              type="radio"
              name="platform"
              value={platform}
              checked={values.platform === platform}
              onChange={() => set('platform', platform)}
            />{' '}
            {PLATFORM_LABELS[platform]}
          </label>
        ))}
        {errors.platform && <p class="field-error">{errors.platform.join(' ')}</p>}
      </fieldset>
      <Field label="Resource type" name="resource_type" errors={errors} hint="Which realms may sign in with it.">
        {(p) => (
          <select
            {...p}
            disabled={Boolean(client)}
            value={values.resource_type}
            onChange={(e) => set('resource_type', e.currentTarget.value as ResourceType)}
          >
            {(['user', 'customer', 'global'] as const).map((type) => (
              <option key={type} value={type}>
                {RESOURCE_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Redirect URIs" name="redirect_uris" errors={errors} hint="One per line, matched exactly.">
        {(p) => (
          <textarea
            {...p}
            rows={3}
            spellcheck={false}
            value={values.redirect_uris}
            onInput={(e) => set('redirect_uris', e.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        label="Post-logout redirect URIs"
        name="post_logout_redirect_uris"
        errors={errors}
        hint="One per line; optional."
      >
        {(p) => (
          <textarea
            {...p}
            rows={2}
            spellcheck={false}
            value={values.post_logout_redirect_uris}
            onInput={(e) => set('post_logout_redirect_uris', e.currentTarget.value)}
          />
        )}
      </Field>
      <fieldset class={errors.scopes ? 'invalid' : undefined} aria-describedby="scopes-hint">
        <legend>Scopes</legend>
        <p class="hint" id="scopes-hint">
          openid, profile and email are always available.
        </p>
        {scopes.loading && <p>Loading scopes…</p>}
        {scopes.data?.items.length === 0 && <p>This tenant has no scopes yet.</p>}
        {scopes.data?.items.map((scope) => (
          <label key={scope.name} class="choice">
            <input
              type="checkbox"
              name="scopes"
              value={scope.name}
              checked={values.scopes.includes(scope.name)}
              onChange={(e) =>
                set(
                  'scopes',
                  e.currentTarget.checked
                    ? [...values.scopes, scope.name]
                    : values.scopes.filter((name) => name !== scope.name),
                )
              }
            />{' '}
            <code>{scope.name}</code> <span class="hint">{scope.description}</span>
          </label>
        ))}
        {errors.scopes && (
          <ul class="field-error">
            {errors.scopes.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
      </fieldset>
      <Field label="Consent" name="consent" errors={errors}>
        {(p) => (
          <select
            {...p}
            value={values.consent}
            onChange={(e) => set('consent', e.currentTarget.value as 'required' | 'skip')}
          >
            <option value="required">Ask people for consent</option>
            <option value="skip">Skip consent (first-party application)</option>
          </select>
        )}
      </Field>
      {client && (
        <label class="choice">
          <input
            type="checkbox"
            checked={values.refresh_enabled}
            onChange={(e) => set('refresh_enabled', e.currentTarget.checked)}
          />{' '}
          Issue refresh tokens
        </label>
      )}
      <OtherFieldErrors errors={errors} shown={[...SHOWN, 'refresh_tokens']} />
      <p class="buttons">
        <button type="submit" disabled={busy}>
          {client ? 'Save changes' : 'Register client application'}
        </button>{' '}
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
