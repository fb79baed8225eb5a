import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError } from '../api.js';
import { type FieldErrors, groupFieldErrors } from '../lib/field-errors.js';

export type { FieldErrors };

/** The field errors of a failed admin API call (none for any other failure). */
export function fieldErrors(error: unknown): FieldErrors {
  return error instanceof ApiError ? groupFieldErrors(error.problem.errors ?? []) : {};
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
