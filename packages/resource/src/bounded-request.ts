// The part the outgoing requests (key sets, introspection) share: a JSON answer within a timeout,
// even from a custom fetch that ignores the abort signal, and every failure as a 503.
import { TemporarilyUnavailableError } from './errors.js';

/** What the outgoing requests read of a `fetch` response. The global `fetch`'s `Response` fits. */
export interface FetchResponseLike {
  status: number;
  json(): Promise<unknown>;
  body?: { cancel(reason?: unknown): Promise<void> } | null;
}

/** The description of every failure to get an answer; the log-only `detail` says what happened. */
export const UNAVAILABLE = 'The access token cannot be verified at the moment';

/**
 * Sends a request with `send` and returns the JSON body of its 200 response. Any failure (network,
 * more than `timeoutMs` milliseconds, another status, a body that is not JSON) becomes a
 * `TemporarilyUnavailableError` whose `detail` starts with `label`, e.g. `GET https://…/jwks`;
 * `statusHint` may add a hint to the detail of an unexpected status.
 */
export async function requestJson(
  label: string,
  send: (signal: AbortSignal) => Promise<FetchResponseLike>,
  timeoutMs: number,
  statusHint: (status: number) => string = () => '',
): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // The race also bounds a custom fetch that ignores the signal.
    return await Promise.race([readJson(label, send, signal, statusHint), rejectOnAbort(signal)]);
  } catch (err) {
    if (err instanceof TemporarilyUnavailableError) throw err;
    const reason = signal.aborted ? `timed out after ${timeoutMs} ms` : describeError(err);
    throw new TemporarilyUnavailableError(UNAVAILABLE, { detail: `${label} failed: ${reason}`, cause: err });
  }
}

async function readJson(
  label: string,
  send: (signal: AbortSignal) => Promise<FetchResponseLike>,
  signal: AbortSignal,
  statusHint: (status: number) => string,
): Promise<unknown> {
  const response = await send(signal);
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new TemporarilyUnavailableError(UNAVAILABLE, {
      detail: `${label} answered ${response.status}, expected 200${statusHint(response.status)}`,
    });
  }
  return response.json();
}

/** Rejects with the signal's reason once it aborts; raced against the request. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** A one-line description of whatever a request rejected with, for the log-only `detail`. */
function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
