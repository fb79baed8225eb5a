import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/**
 * A tiny browser over `app.inject`: keeps cookies (respecting Path), and turns the absolute
 * URLs the server redirects to into injected requests. Redirects are never followed
 * automatically, so tests can assert each one.
 */
export class TestBrowser {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(private readonly app: FastifyInstance) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.send('GET', url, undefined, headers);
  }

  async postForm(
    url: string,
    form: Record<string, string> | string,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
    return this.send('POST', url, body, { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  cookie(name: string): string | undefined {
    return [...this.cookies.values()].find((cookie) => cookie.name === name)?.value;
  }

  /** The Cookie header this browser would send to `url` (for requests made outside app.inject). */
  cookieHeader(url: string): string {
    const target = new URL(url, 'http://localhost:8080');
    return [...this.cookies.values()]
      .filter((cookie) => target.pathname.startsWith(cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  clearCookies(): void {
    this.cookies.clear();
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<LightMyRequestResponse> {
    const target = new URL(url, 'http://localhost:8080');
    const cookieHeader = [...this.cookies.values()]
      .filter((cookie) => target.pathname.startsWith(cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
    const response = await this.app.inject({
      method,
      url: `${target.pathname}${target.search}`,
      headers: { ...(cookieHeader ? { cookie: cookieHeader } : {}), ...headers },
      ...(body !== undefined ? { payload: body } : {}),
    });
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const path =
        attributes
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith('path='))
          ?.slice(5) ?? '/';
      this.cookies.set(`${name}@${path}`, { name, value: pair!.slice(eq + 1).trim(), path });
    }
    return response;
  }
}

/** Reads a hidden input's value from one of our pages. */
export function hiddenInput(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  if (!match) throw new Error(`no hidden input ${name} in page`);
  return match[1]!;
}

export function authorizeUrl(issuer: string, params: Record<string, string>): string {
  return `${issuer}/oauth2/authorize?${new URLSearchParams(params).toString()}`;
}

/** Query parameters of a redirect Location. */
export function redirectParams(response: LightMyRequestResponse): URLSearchParams {
  const location = response.headers.location;
  if (typeof location !== 'string') throw new Error(`no Location header (status ${response.statusCode})`);
  return new URL(location).searchParams;
}

/**
 * Drives authorize -> login -> consent(allow) and returns the redirect back to the client.
 * Assumes a fresh browser (not yet signed in).
 */
export async function signInAndAllow(
  browser: TestBrowser,
  issuer: string,
  params: Record<string, string>,
  credentials: { username: string; password: string },
): Promise<LightMyRequestResponse> {
  const authorize = await browser.get(authorizeUrl(issuer, params));
  if (authorize.statusCode !== 303) throw new Error(`authorize answered ${authorize.statusCode}: ${authorize.body}`);
  const loginUrl = authorize.headers.location as string;
  const loginPage = await browser.get(loginUrl);
  const login = await browser.postForm(`${issuer}/login`, {
    request: hiddenInput(loginPage.body, 'request'),
    csrf_token: hiddenInput(loginPage.body, 'csrf_token'),
    ...credentials,
  });
  if (login.statusCode !== 303) throw new Error(`login answered ${login.statusCode}`);
  const next = login.headers.location as string;
  if (!next.startsWith(`${issuer}/consent`)) return login;
  const consentPage = await browser.get(next);
  return browser.postForm(`${issuer}/consent`, {
    request: hiddenInput(consentPage.body, 'request'),
    csrf_token: hiddenInput(consentPage.body, 'csrf_token'),
    decision: 'allow',
  });
}

/** Exchanges a code with the seed document's token request. */
export function exchangeCode(
  app: FastifyInstance,
  issuer: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${new URL(issuer).pathname}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

/** Signs in (fresh browser), consents, and exchanges the code: the whole token response. */
export async function obtainTokens(
  app: FastifyInstance,
  issuer: string,
  params: Record<string, string>,
  credentials: { username: string; password: string },
  browser: TestBrowser = new TestBrowser(app),
): Promise<Record<string, string | number>> {
  const redirect = await signInAndAllow(browser, issuer, params, credentials);
  const code = redirectParams(redirect).get('code');
  if (!code) throw new Error(`no code in ${String(redirect.headers.location)}`);
  const response = await exchangeCode(app, issuer, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: params.redirect_uri!,
    client_id: params.client_id!,
    code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  });
  if (response.statusCode !== 200) throw new Error(`token exchange answered ${response.statusCode}: ${response.body}`);
  return response.json();
}

/** POSTs a form to one of the realm's endpoints (token, revoke, introspect, userinfo). */
export function postForm(
  app: FastifyInstance,
  issuer: string,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${new URL(issuer).pathname}${path}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
