import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { CopyButton } from '../components/copy-button.js';
import { Field, fieldErrors } from '../components/fields.js';
import type { RotatedSecret } from '../types.js';

/** Rotating a web client's secret, with the overlap during which the old one still works. */
export function RotateSecret(props: {
  path: string;
  onRotated: (r: RotatedSecret) => void;
  onError: (e: unknown) => void;
}) {
  const [overlap, setOverlap] = useState('0');
  const [error, setError] = useState<unknown>();
  const errors = fieldErrors(error);
  return (
    <form
      class="action rotate"
      noValidate
      aria-label="Rotate client secret"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          const rotated = await api.post<RotatedSecret>(`${props.path}/secret`, { overlap_seconds: Number(overlap) });
          setError(undefined);
          props.onRotated(rotated);
        } catch (caught) {
          setError(caught);
          props.onError(caught);
        }
      }}
    >
      <h3>Rotate secret</h3>
      <p class="hint">Creates a new client secret, shown once.</p>
      <Field
        label="Old secret keeps working for (seconds)"
        name="overlap_seconds"
        errors={errors}
        hint="0 revokes it at once; more gives deployments time to switch."
      >
        {(p) => <input {...p} inputMode="numeric" value={overlap} onInput={(e) => setOverlap(e.currentTarget.value)} />}
      </Field>
      <button type="submit" class="secondary">
        Rotate secret
      </button>
    </form>
  );
}

/** The new secret, once: the API keeps only its hash. */
export function SecretShownOnce({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  return (
    <section class="secret" aria-labelledby="secret-title">
      <h2 id="secret-title">Client secret</h2>
      <p>Copy it now: it is shown only this once and cannot be displayed again.</p>
      <p>
        <code class="secret-value" data-secret>
          {secret}
        </code>{' '}
        <CopyButton value={secret} label="Copy client secret" />
      </p>
      <button type="button" class="secondary small" onClick={onDismiss}>
        I have stored it
      </button>
    </section>
  );
}
