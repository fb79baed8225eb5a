import { LoginRequiredError } from '@gatehouse/spa';
import { accessToken } from './auth.js';
import { config } from './config.js';
import type { FieldProblem } from './lib/field-errors.js';

/** RFC 9457 problem details as the admin API sends them. */
export interface Problem {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: FieldProblem[];
}

/** A refused admin API call, carrying the API's problem document. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

/** Raised when the console has no usable session: the app shows the sign-in page. */
export class SessionEnded extends Error {}

/** Dispatched on window whenever a call finds the session gone, wherever that call was made. */
export const SESSION_ENDED_EVENT = 'gatehouse:session-ended';

function sessionEnded(reason: string): SessionEnded {
  window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
  return new SessionEnded(reason);
}

export { withQuery } from './lib/route-match.js';

async function send(method: string, path: string, body: unknown, forceRefresh: boolean): Promise<Response> {
  let token: string;
  try {
    token = await accessToken(forceRefresh);
  } catch (error) {
    if (error instanceof LoginRequiredError) throw sessionEnded(error.message);
    throw error;
  }
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${config.apiBase}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const body = (await response.json().catch(() => undefined)) as Partial<Problem> | undefined;
    if (body && typeof body.title === 'string') return { ...body, title: body.title, status: response.status };
  }
  return { title: response.statusText || 'Request failed', status: response.status };
}

/**
 * Calls the admin API with the console's access token. A 401 is retried once with a refreshed
 * token (it may have been revoked or expired early); a second 401 ends the session.
 */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body, false);
  if (response.status === 401) response = await send(method, path, body, true);
  if (response.status === 401) throw sessionEnded('the admin API no longer accepts this session');
  if (!response.ok) throw new ApiError(await readProblem(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};

/** Path segment escaping for ids typed by people (tenant ids, scope names, usernames). */
export const seg = encodeURIComponent;
