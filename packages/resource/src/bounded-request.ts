// Helpers shared by the outgoing requests (key sets, introspection): both must give up after a
// timeout even when a custom fetch ignores the abort signal.

/** Rejects with the signal's reason once it aborts; raced against the request. */
export function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** A one-line description of whatever a request rejected with, for the log-only `detail`. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
