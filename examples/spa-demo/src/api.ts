import { config } from './config.js';

export interface ApiResult {
  /** e.g. "GET /v1/answers" */
  readonly request: string;
  readonly status: number;
  readonly statusText: string;
  readonly body: unknown;
  /** From `WWW-Authenticate` on 401/403 (RFC 6750 §3): the error code and the scope the endpoint needs. */
  readonly challenge: { error?: string; scope?: string } | undefined;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
};

/** Calls the demo API with the access token as a Bearer token (RFC 6750 §2.1). */
export async function callAnswers(accessToken: string, method: 'GET' | 'POST', question?: string): Promise<ApiResult> {
  const path = '/v1/answers';
  const response = await fetch(`${config.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: JSON.stringify({ question }) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: show the text as it came.
  }
  return {
    request: `${method} ${path}`,
    status: response.status,
    statusText: STATUS_TEXT[response.status] ?? response.statusText,
    body,
    challenge: parseChallenge(response.headers.get('www-authenticate')),
  };
}

function parseChallenge(header: string | null): ApiResult['challenge'] {
  if (!header) return undefined;
  const attribute = (name: string) => new RegExp(`(?:^|[\\s,])${name}="([^"]*)"`).exec(header)?.[1];
  return { error: attribute('error'), scope: attribute('scope') };
}
