import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError } from '../api.js';

/** Messages per top-level field, from a problem's `errors[].field` JSON pointers. */
export type FieldErrors = Readonly<Record<string, string[]>>;

/**
 * Groups a problem's field errors by the body property they point into: `/redirect_uris/1`
 * belongs to `redirect_uris` and says which line (1-based, as people count).
 */
export function fieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const grouped: Record<string, string[]> = {};
  for (const { field, message } of error.problem.errors ?? []) {
    const [, name = '', index] = field.split('/');
    const text = index !== undefined && /^\d+$/.test(index) ? `Line ${Number(index) + 1}: ${message}` : message;
    grouped[name] = [...(grouped[name] ?? []), text];
  }
  return grouped;
}

interface FieldProps {
  readonly label: string;
  readonly name: string;
  readonly errors?: FieldErrors;
  readonly hint?: string;
  readonly children: (props: {
    id: string;
    name: string;
    'aria-invalid': boolean | undefined;
    'aria-describedby': string | undefined;
  }) => ComponentChildren;
}

/** A labelled control with its hint and, next to it, the API's messages for that field. */
export function Field({ label, name, errors, hint, children }: FieldProps) {
  const id = useId();
  const messages = errors?.[name] ?? [];
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = messages.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={messages.length > 0 ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, name, 'aria-invalid': messages.length > 0 || undefined, 'aria-describedby': describedBy })}
      {errorId && (
        <ul class="field-error" id={errorId} data-field={name}>
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Field errors whose field has no control in the form, so they are not lost. */
export function OtherFieldErrors({ errors, shown }: { errors: FieldErrors; shown: readonly string[] }) {
  const rest = Object.entries(errors).filter(([name]) => !shown.includes(name));
  if (rest.length === 0) return null;
  return (
    <ul class="field-error">
      {rest.flatMap(([name, messages]) =>
        messages.map((message) => <li key={`${name}${message}`}>{name ? `${name}: ${message}` : message}</li>),
      )}
    </ul>
  );
}

/** Lines of a textarea, trimmed, blank ones dropped. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
