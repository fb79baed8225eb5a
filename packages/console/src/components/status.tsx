import { ApiError, SessionEnded } from '../api.js';

/** What a failed call means for a person, in one sentence. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const { title, detail, status, errors } = error.problem;
    if (errors && errors.length > 0) return `${title}: please correct the fields marked below.`;
    return detail && detail !== title ? `${title}: ${detail}` : `${title} (HTTP ${status})`;
  }
  if (error instanceof SessionEnded) return 'Your session has ended. Please sign in again.';
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The outcome of the last action, announced by screen readers: errors assertively
 * (role="alert"), successes politely. Always rendered so the live region exists before it changes.
 */
export function Status({ error, message }: { error?: unknown; message?: string | undefined }) {
  const hasError = error !== undefined && error !== null;
  return (
    <div class="status-area">
      <div role="alert" class={hasError ? 'notice error' : 'visually-empty'}>
        {hasError ? describeError(error) : ''}
      </div>
      <div role="status" aria-live="polite" class={message && !hasError ? 'notice success' : 'visually-empty'}>
        {hasError ? '' : (message ?? '')}
      </div>
    </div>
  );
}
