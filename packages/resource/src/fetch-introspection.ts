import { requestJson, UNAVAILABLE, type FetchResponseLike } from './bounded-request.js';
import { TemporarilyUnavailableError } from './errors.js';

/**
 * The part of `fetch` the introspection check uses. The global `fetch` fits; tests and proxies can
 * pass their own.
 */
export type IntrospectionFetchLike = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    /** `application/x-www-form-urlencoded`: `token` and `token_type_hint`. */
    body: string;
    /** Redirects are not followed: the credentials go only to the configured address. */
    redirect: 'manual';
    signal: AbortSignal;
  },
) => Promise<FetchResponseLike>;

/**
 * `Authorization` value for client_secret_basic. RFC 6749 §2.3.1: the client ID and secret are
 * each form-urlencoded (Appendix B) before they are joined with `:` and base64-encoded, so an ID
 * or secret containing `:`, `%`, `+` or non-ASCII characters survives the trip.
 */
export function formatBasicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, 'utf8').toString('base64')}`;
}

/**
 * Asks an RFC 7662 introspection endpoint whether `token` is active. Any failure to get an answer
 * (network, timeout, non-200 including a refused client authentication, a body without a boolean
 * `active`) becomes a `TemporarilyUnavailableError` whose `detail` says what happened: the API
 * fails closed rather than accept a token it could not check.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export async function postIntrospection(
  url: string,
  authorization: string,
  token: string,
  fetchImpl: IntrospectionFetchLike,
  timeoutMs: number,
): Promise<boolean> {
  const body = await requestJson(
    `POST ${url}`,
    (signal) =>
      fetchImpl(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'manual',
        signal,
      }),
    timeoutMs,
    // 401 is the authorization server refusing *our* credentials: a configuration problem of this
    // API, not of the caller, so it is a 503 like any other unavailability.
    (status) => (status === 401 ? ' (invalid_client: check introspection.clientId and clientSecret)' : ''),
  );
  const active = typeof body === 'object' && body !== null ? (body as { active?: unknown }).active : undefined;
  if (typeof active !== 'boolean') {
    throw new TemporarilyUnavailableError(UNAVAILABLE, {
      detail: `POST ${url} did not return an introspection response (no boolean "active")`,
    });
  }
  return active;
}
