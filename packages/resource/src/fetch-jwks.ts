import type { JSONWebKeySet } from 'jose';
import { requestJson, UNAVAILABLE, type FetchResponseLike } from './bounded-request.js';
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
) => Promise<FetchResponseLike>;

/**
 * GETs a JSON Web Key Set. Any failure (network, timeout, non-200, non-JSON) becomes a
 * `TemporarilyUnavailableError` whose `detail` says what happened.
 */
export async function fetchJwks(url: string, fetchImpl: FetchLike, timeoutMs: number): Promise<JSONWebKeySet> {
  const body = await requestJson(
    `GET ${url}`,
    (signal) =>
      fetchImpl(url, {
        method: 'GET',
        headers: { accept: 'application/jwk-set+json, application/json' },
        redirect: 'manual',
        signal,
      }),
    timeoutMs,
  );
  if (!isKeySet(body)) {
    throw new TemporarilyUnavailableError(UNAVAILABLE, { detail: `GET ${url} did not return a JSON Web Key Set` });
  }
  return body;
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every((key) => typeof key === 'object' && key !== null)
  );
}
