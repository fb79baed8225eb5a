import { beforeEach, describe, expect, it } from 'vitest';
import { authorizeUrl, hiddenInput, redirectParams, signInAndAllow, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  CUSTOMER,
  ISSUER_C,
  ISSUER_U,
  LOCAL_REDIRECT_URI,
  SEED_REDIRECT_URI,
  seedAuthorizeParams,
  SKIP_CONSENT_CLIENT_ID,
  useTestServer,
} from '../support/harness.js';

const server = useTestServer('each');
let browser: TestBrowser;
beforeEach(() => {
  browser = new TestBrowser(server.app);
});

async function openLoginPage(issuer = ISSUER_U, params = seedAuthorizeParams()) {
  const authorize = await browser.get(authorizeUrl(issuer, params));
  const page = await browser.get(authorize.headers.location as string);
  return { page, request: hiddenInput(page.body, 'request'), csrf: hiddenInput(page.body, 'csrf_token') };
}

describe('login page', () => {
  it('shows one form with username and password, and strict headers', async () => {
    const { page } = await openLoginPage();
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<form /g)).toHaveLength(1);
    expect(page.body).toContain('name="username"');
    expect(page.body).toContain('name="password"');
    expect(page.body).toContain('Seed SPA');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("form-action 'self' https://oauth.pstmn.io");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('signs in and moves on to the consent page with a session cookie', async () => {
    const { request, csrf } = await openLoginPage();
    const login = await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...AGENT });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe(`${ISSUER_U}/consent?request=${request}`);
    expect(browser.cookie('gh_session')).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a wrong password and an unknown user with the same message', async () => {
    const { request, csrf } = await openLoginPage();
    const wrong = await browser.postForm(`${ISSUER_U}/login`, {
      request,
      csrf_token: csrf,
      username: AGENT.username,
      password: 'nope-nope-nope',
    });
    const unknown = await browser.postForm(`${ISSUER_U}/login`, {
      request,
      csrf_token: csrf,
      username: 'nobody',
      password: 'nope-nope-nope',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const message = (body: string) => /<div class="alert" role="alert">([^<]*)<\/div>/.exec(body)?.[1];
    expect(message(wrong.body)).toBe('Incorrect username or password.');
    expect(message(unknown.body)).toBe(message(wrong.body));
  });

  it('does not let an agent sign in to the customer realm', async () => {
    const { request, csrf } = await openLoginPage(ISSUER_C);
    const login = await browser.postForm(`${ISSUER_C}/login`, { request, csrf_token: csrf, ...AGENT });
    expect(login.statusCode).toBe(401);
  });

  it('throttles a username after 5 failures with 429 and Retry-After', async () => {
    const { request, csrf } = await openLoginPage();
    for (let i = 0; i < 5; i++) {
      const failed = await browser.postForm(`${ISSUER_U}/login`, {
        request,
        csrf_token: csrf,
        username: AGENT.username,
        password: `wrong-${i}-password`,
      });
      expect(failed.statusCode).toBe(401);
    }
    const throttled = await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...AGENT });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('300');
    server.clock.advance(300);
    const { request: again, csrf: csrfAgain } = await openLoginPage();
    const allowed = await browser.postForm(`${ISSUER_U}/login`, { request: again, csrf_token: csrfAgain, ...AGENT });
    expect(allowed.statusCode).toBe(303);
  });

  it('rejects a login post with a wrong CSRF token (403)', async () => {
    const { request } = await openLoginPage();
    const response = await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: 'forged', ...AGENT });
    expect(response.statusCode).toBe(403);
    expect(browser.cookie('gh_session')).toBeUndefined();
  });

  it('rejects a login post from another browser (no binding cookie) with 403', async () => {
    const { request, csrf } = await openLoginPage();
    const other = new TestBrowser(server.app);
    const response = await other.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...AGENT });
    expect(response.statusCode).toBe(403);
  });

  it('shows an expired page for an unknown or expired request id', async () => {
    const { request } = await openLoginPage();
    server.clock.advance(601);
    const expired = await browser.get(`${ISSUER_U}/login?request=${request}`);
    expect(expired.statusCode).toBe(400);
    const unknown = await browser.get(`${ISSUER_U}/login?request=doesnotexist`);
    expect(unknown.statusCode).toBe(400);
  });

  it('escapes reflected input in the page', async () => {
    const { request, csrf } = await openLoginPage();
    const response = await browser.postForm(`${ISSUER_U}/login`, {
      request,
      csrf_token: csrf,
      username: '"><script>alert(1)</script>',
      password: 'x-x-x-x-x',
    });
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers a repeated form field with a 400 page, not a stack trace', async () => {
    const { request, csrf } = await openLoginPage();
    const body = `${new URLSearchParams({ request, csrf_token: csrf, ...AGENT }).toString()}&username=other`;
    const response = await browser.postForm(`${ISSUER_U}/login`, body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('consent page', () => {
  async function reachConsent(params = seedAuthorizeParams()) {
    const { request, csrf } = await openLoginPage(ISSUER_U, params);
    await browser.postForm(`${ISSUER_U}/login`, { request, csrf_token: csrf, ...AGENT });
    const page = await browser.get(`${ISSUER_U}/consent?request=${request}`);
    return { page, request, csrf };
  }

  it('shows the client name and the scope descriptions with Allow and Deny buttons', async () => {
    const { page } = await reachConsent();
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<form /g)).toHaveLength(1);
    expect(page.body).toContain('Seed SPA');
    expect(page.body).toContain('Read answers from the AI services');
    expect(page.body).toContain('Create and change AI content');
    expect(page.body).toContain('name="decision" value="allow"');
    expect(page.body).toContain('name="decision" value="deny"');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('allow redirects 303 to the redirect_uri with code, state and iss', async () => {
    const { request, csrf } = await reachConsent();
    const response = await browser.postForm(`${ISSUER_U}/consent`, { request, csrf_token: csrf, decision: 'allow' });
    expect(response.statusCode).toBe(303);
    const location = new URL(response.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(SEED_REDIRECT_URI);
    expect([...location.searchParams.keys()]).toEqual(['code', 'state', 'iss']);
    expect(location.searchParams.get('code')).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBe('a1b2c3d4e5f67890');
    expect(location.searchParams.get('iss')).toBe(ISSUER_U);
  });

  it('deny redirects with error=access_denied, state and iss', async () => {
    const { request, csrf } = await reachConsent();
    const response = await browser.postForm(`${ISSUER_U}/consent`, { request, csrf_token: csrf, decision: 'deny' });
    expect(response.statusCode).toBe(303);
    const params = redirectParams(response);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('a1b2c3d4e5f67890');
    expect(params.get('iss')).toBe(ISSUER_U);
    expect(params.has('code')).toBe(false);
  });

  it('rejects a consent post with a wrong CSRF token (403) and issues nothing', async () => {
    const { request } = await reachConsent();
    const response = await browser.postForm(`${ISSUER_U}/consent`, {
      request,
      csrf_token: 'forged',
      decision: 'allow',
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers.location).toBeUndefined();
  });

  it('answers a second submission of the same consent form with 400 and no second code', async () => {
    const { request, csrf } = await reachConsent();
    const first = await browser.postForm(`${ISSUER_U}/consent`, { request, csrf_token: csrf, decision: 'allow' });
    expect(first.statusCode).toBe(303);
    const second = await browser.postForm(`${ISSUER_U}/consent`, { request, csrf_token: csrf, decision: 'allow' });
    expect(second.statusCode).toBe(400);
    expect(second.headers.location).toBeUndefined();
  });

  it('ignores tampered hidden fields: client, redirect_uri and scope come from the server', async () => {
    const { request, csrf } = await reachConsent();
    const response = await browser.postForm(`${ISSUER_U}/consent`, {
      request,
      csrf_token: csrf,
      decision: 'allow',
      redirect_uri: 'https://evil.example/cb',
      client_id: SKIP_CONSENT_CLIENT_ID,
      scope: 'core.aiservices.manage',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^https:\/\/oauth\.pstmn\.io\/v1\/callback\?code=/);
  });

  it('rejects an unknown decision value with 400', async () => {
    const { request, csrf } = await reachConsent();
    const response = await browser.postForm(`${ISSUER_U}/consent`, { request, csrf_token: csrf, decision: 'maybe' });
    expect(response.statusCode).toBe(400);
  });

  it('sends a person who is not signed in from the consent page to the login page', async () => {
    const { request } = await openLoginPage();
    const response = await browser.get(`${ISSUER_U}/consent?request=${request}`);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${ISSUER_U}/login?request=${request}`);
  });
});

describe('returning users and first-party clients', () => {
  it('gives a returning user with a covering grant the code redirect at once', async () => {
    const first = await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams(), AGENT);
    expect(redirectParams(first).has('code')).toBe(true);
    const again = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ state: 'second' })));
    expect(again.statusCode).toBe(303);
    const params = redirectParams(again);
    expect(params.get('code')).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBe('second');
    expect(params.get('iss')).toBe(ISSUER_U);
  });

  it('asks again when a returning user is asked for a scope not yet granted', async () => {
    await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams({ scope: 'core.aiservices.read' }), AGENT);
    const again = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams()));
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toMatch(new RegExp(`^${ISSUER_U}/consent\\?request=`));
  });

  it('a narrower request than the grant needs no consent', async () => {
    await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams(), AGENT);
    const again = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ scope: 'core.aiservices.write' })));
    expect(redirectParams(again).has('code')).toBe(true);
  });

  it('prompt=consent asks again even with a covering grant', async () => {
    await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams(), AGENT);
    const again = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams({ prompt: 'consent' })));
    expect(again.headers.location).toMatch(new RegExp(`^${ISSUER_U}/consent\\?request=`));
  });

  it('skips the consent page for a first-party client', async () => {
    const response = await signInAndAllow(
      browser,
      ISSUER_U,
      seedAuthorizeParams({ client_id: SKIP_CONSENT_CLIENT_ID, redirect_uri: LOCAL_REDIRECT_URI }),
      AGENT,
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^http:\/\/localhost:5173\/callback\?code=/);
  });

  it('keeps realm sessions apart: an agent session does not sign anyone in to the customer realm', async () => {
    await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams(), AGENT);
    const customer = await browser.get(authorizeUrl(ISSUER_C, seedAuthorizeParams()));
    expect(customer.headers.location).toMatch(new RegExp(`^${ISSUER_C}/login\\?request=`));
    const done = await signInAndAllow(new TestBrowser(server.app), ISSUER_C, seedAuthorizeParams(), CUSTOMER);
    expect(redirectParams(done).get('iss')).toBe(ISSUER_C);
  });

  it('a session expires after its lifetime', async () => {
    await signInAndAllow(browser, ISSUER_U, seedAuthorizeParams(), AGENT);
    server.clock.advance(server.context.config.sessionTtlSeconds);
    const again = await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams()));
    expect(again.headers.location).toMatch(new RegExp(`^${ISSUER_U}/login\\?request=`));
  });
});
