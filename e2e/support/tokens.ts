import type { BrowserContext, Page } from 'playwright-core';
import type { Stack } from './stack.js';

/**
 * What travels between the browser and Gatehouse's token endpoint, and between the SPA and the
 * demo API, seen from outside the page: the wire formats of RFC 6749 and RFC 6750, never the
 * SDK's storage. Also the requests a test makes itself, from Node, as an attacker or an API would.
 */

export interface AccessTokenClaims {
  readonly jti: string;
  readonly sub: string;
  readonly exp: number;
  readonly scope: string;
  readonly client_id: string;
}

/** The payload of an access token (a JWT), decoded without verification: the API verifies. */
export function decodeAccessToken(token: string): AccessTokenClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error(`not a JWT: ${token.slice(0, 20)}…`);
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
}

export interface TokenExchange {
  readonly page: Page;
  /** `authorization_code` or `refresh_token`. */
  readonly grantType: string;
  /** The refresh token the request presented, for `refresh_token`. */
  readonly presentedRefreshToken: string | undefined;
  readonly status: number;
  readonly body: { access_token?: string; refresh_token?: string; error?: string; error_description?: string };
}

export interface ApiCall {
  readonly page: Page;
  readonly method: string;
  /** The Bearer token the request carried. */
  readonly accessToken: string;
}

export interface Traffic {
  /** Every token-endpoint answer the context's pages received, in order, bodies read. */
  tokenExchanges(): Promise<TokenExchange[]>;
  refreshes(): Promise<TokenExchange[]>;
  /** The refresh token the browser holds now: the one in the latest successful answer. */
  currentRefreshToken(): Promise<string>;
  /** The access token issued last, to any of the context's pages. */
  latestAccessToken(): Promise<string>;
  /** Every call to the demo API (preflights aside), in the order they were sent. */
  readonly apiCalls: readonly ApiCall[];
}

/** Starts recording the token-endpoint and API traffic of every page of `context`. */
export function recordTraffic(context: BrowserContext, stack: Stack): Traffic {
  const exchanges: Promise<TokenExchange>[] = [];
  const apiCalls: ApiCall[] = [];
  context.on('response', (response) => {
    const request = response.request();
    if (
      request.method() !== 'POST' ||
      !request.url().startsWith(stack.gatehouseUrl) ||
      !request.url().endsWith('/oauth2/token')
    )
      return;
    const form = new URLSearchParams(request.postData() ?? '');
    exchanges.push(
      response.json().then((body: TokenExchange['body']) => ({
        page: request.frame().page(),
        grantType: form.get('grant_type') ?? '',
        presentedRefreshToken: form.get('refresh_token') ?? undefined,
        status: response.status(),
        body,
      })),
    );
  });
  context.on('request', (request) => {
    if (request.url() !== `${stack.apiUrl}/v1/answers` || request.method() === 'OPTIONS') return;
    const authorization = request.headers()['authorization'] ?? '';
    apiCalls.push({
      page: request.frame().page(),
      method: request.method(),
      accessToken: authorization.replace(/^Bearer /, ''),
    });
  });

  const tokenExchanges = () => Promise.all(exchanges);
  const latest = async (field: 'access_token' | 'refresh_token') => {
    const issued = (await tokenExchanges())
      .filter((exchange) => exchange.status === 200)
      .map((exchange) => exchange.body[field]);
    const value = issued.at(-1);
    if (!value) throw new Error(`no ${field} was issued`);
    return value;
  };
  return {
    tokenExchanges,
    refreshes: async () => (await tokenExchanges()).filter((exchange) => exchange.grantType === 'refresh_token'),
    currentRefreshToken: () => latest('refresh_token'),
    latestAccessToken: () => latest('access_token'),
    apiCalls,
  };
}

/** Gatehouse listens on 127.0.0.1; Node may resolve `localhost` to ::1. */
function fromNode(url: string): string {
  return url.replace('//localhost:', '//127.0.0.1:');
}

/** RFC 7662 introspection as the demo API does it (client_secret_basic), returning the answer. */
export async function introspect(stack: Stack, realm: string, token: string): Promise<Record<string, unknown>> {
  const { clientId, clientSecret } = stack.introspectionClient;
  const response = await fetch(fromNode(`${stack.issuer(realm)}/oauth2/introspect`), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  if (response.status !== 200) throw new Error(`introspection answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** `grant_type=refresh_token` sent from outside the browser, as a thief holding the token would. */
export async function redeemRefreshToken(
  stack: Stack,
  realm: string,
  refreshToken: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(fromNode(`${stack.issuer(realm)}/oauth2/token`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: stack.clientId }),
  });
  return { status: response.status, body: await response.json() };
}

/** Calls the demo API from outside the browser with `accessToken`, as anyone holding it could. */
export async function callApiWith(stack: Stack, accessToken: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fromNode(stack.apiUrl)}/v1/answers`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: response.status, body: await response.json() };
}
