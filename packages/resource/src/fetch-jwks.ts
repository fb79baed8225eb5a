import type { JSONWebKeySet } from 'jose';
import { describeError, rejectOnAbort } from './bounded-request.js';
import { TemporarilyUnavailableError } from './errors.js';

/**
 * The part of `fetch` the key store uses. The global `fetch` fits; tests and proxies can pass
 * their own.
 */
export type FetchLike = (
  url: string,
  init: {
    method: 'GET';
    headers: Record<string, string>;
    /** Redirects are not followed: the key set must live at the configured address. */
    redirect: 'manual';
    signal: AbortSignal;
  },
) => Promise<{
  status: number;
  json(): Promise<unknown>;
  body?: { cancel(reason?: unknown): Promise<void> } | null;
}>;

const UNAVAILABLE = 'The access token cannot be verified at the moment';

/**
 * GETs a JSON Web Key Set. Any failure (network, timeout, non-200, non-JSON) becomes a
 * `TemporarilyUnavailableError` whose `detail` says what happened.
 */
export async function fetchJwks(url: string, fetchImpl: FetchLike, timeoutMs: number): Promise<JSONWebKeySet> {
  const signal = AbortSignal.timeout(timeoutMs);
  let body: unknown;
  try {
    // The race also bounds a custom fetch that ignores the signal.
    body = await Promise.race([requestJson(url, fetchImpl, signal), rejectOnAbort(signal)]);
  } catch (err) {
    if (err instanceof TemporarilyUnavailableError) throw err;
    const reason = signal.aborted ? `timed out after ${timeoutMs} ms` : describeError(err);
    throw new TemporarilyUnavailableError(UNAVAILABLE, { detail: `GET ${url} failed: ${reason}`, cause: err });
  }
  if (!isKeySet(body)) {
    throw new TemporarilyUnavailableError(UNAVAILABLE, { detail: `GET ${url} did not return a JSON Web Key Set` });
  }
  return body;
}

async function requestJson(url: string, fetchImpl: FetchLike, signal: AbortSignal): Promise<unknown> {
  const response = await fetchImpl(url, {
    method: 'GET',
    headers: { accept: 'application/jwk-set+json, application/json' },
    redirect: 'manual',
    signal,
  });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new TemporarilyUnavailableError(UNAVAILABLE, {
      detail: `GET ${url} answered ${response.status}, expected 200`,
    });
  }
  return response.json();
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every((key) => typeof key === 'object' && key !== null)
  );
}
