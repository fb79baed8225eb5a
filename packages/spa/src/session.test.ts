import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatehouseClient } from './client.js';
import { InteractionRequiredError, LoginRequiredError, OAuthError, TimeoutError } from './errors.js';
import { relayCallback } from './lib/child-window.js';
import { isProbablySameSite } from './lib/same-site.js';
import { sharedTokenStore } from './testing/browser-fakes.js';
import { REDIRECT_URI } from './testing/fake-authorization-server.js';
import { fakeWindow, type FakeWindow } from './testing/fake-window.js';
import { OPENID_SCOPE, SCOPE, startHarness, type Harness } from './testing/harness.js';

let h: Harness;
let win: FakeWindow;
beforeEach(async () => {
  h = await startHarness();
  win = fakeWindow(h.server);
});
afterEach(() => h.server.close());

const newClient = (overrides = {}) => h.newClient({ window: win, ...overrides });

/** Records the events a client emits, in order. */
function record(client: GatehouseClient): string[] {
  const seen: string[] = [];
  client.on('signedIn', ({ how }) => seen.push(`signedIn:${how}`));
  client.on('tokenRefreshed', () => seen.push('tokenRefreshed'));
  client.on('refreshFailed', ({ error }) => seen.push(`refreshFailed:${(error as OAuthError).error ?? error.code}`));
  client.on('loggedOut', ({ reason }) => seen.push(`loggedOut:${reason}`));
  return seen;
}

describe('checkSession with a persistent token store', () => {
  it('after a reload restores the session from the store without any page or iframe, refreshing a token that is due', async () => {
    const store = sharedTokenStore();
    await h.signIn(await newClient({ tokenStore: store }));

    h.clock.advanceSeconds(290); // inside the 30 s leeway of the 300 s token
    const reloaded = await newClient({ tokenStore: store });
    const events = record(reloaded);
    await reloaded.checkSession({ iframe: true });

    expect(await reloaded.isAuthenticated()).toBe(true);
    expect(events).toEqual(['tokenRefreshed', 'signedIn:store']);
    expect(win.iframes).toEqual([]);
    expect(h.server.authorizationRequests).toHaveLength(1); // the sign-in's only
    expect(h.server.tokenRequests.map((r) => r.grant_type)).toEqual(['authorization_code', 'refresh_token']);
  });

  it('when the stored refresh token is refused, emits refreshFailed and loggedOut, then asks the iframe', async () => {
    const store = sharedTokenStore();
    await h.signIn(await newClient({ tokenStore: store }));
    h.server.revokeAllRefreshTokens();
    h.clock.advanceSeconds(400);

    const reloaded = await newClient({ tokenStore: store });
    const events = record(reloaded);
    await reloaded.checkSession({ iframe: true });

    expect(events).toEqual(['refreshFailed:invalid_grant', 'loggedOut:session_expired', 'signedIn:iframe']);
    expect(await reloaded.isAuthenticated()).toBe(true);
  });

  it('without the iframe, a refused stored refresh token is thrown as it was: LoginRequiredError caused by invalid_grant', async () => {
    const store = sharedTokenStore();
    await h.signIn(await newClient({ tokenStore: store }));
    h.server.revokeAllRefreshTokens();
    h.clock.advanceSeconds(400);

    const reloaded = await newClient({ tokenStore: store });
    const error = await reloaded.checkSession({ iframe: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginRequiredError);
    expect(((error as LoginRequiredError).cause as OAuthError).error).toBe('invalid_grant');
    expect(win.iframes).toEqual([]);
  });

  it('a network failure while refreshing is thrown as it is, keeping the session for a retry', async () => {
    const store = sharedTokenStore();
    await h.signIn(await newClient({ tokenStore: store }));
    h.clock.advanceSeconds(400);
    let offline = false;
    const reloaded = await newClient({
      tokenStore: store,
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        offline ? Promise.reject(new TypeError('offline')) : fetch(input, init),
    });
    offline = true;
    await expect(reloaded.checkSession({ iframe: true })).rejects.toMatchObject({ code: 'network_error' });
    expect(store.items.size).toBe(1);
    expect(win.iframes).toEqual([]);
  });
});

describe('checkSession with a hidden iframe (prompt=none)', () => {
  it('restores a session kept in memory from Gatehouse’s own session, in a hidden iframe removed afterwards', async () => {
    const client = await newClient({ scope: OPENID_SCOPE });
    const events = record(client);
    await client.checkSession({ iframe: true, loginHint: 'ada', uiLocales: ['fr', 'en'] });

    expect(await client.isAuthenticated()).toBe(true);
    expect((await client.getUser())?.sub).toBe('user-42');
    expect(events).toEqual(['signedIn:iframe']);
    const [request] = h.server.authorizationRequests;
    expect(request).toMatchObject({ prompt: 'none', login_hint: 'ada', ui_locales: 'fr en', scope: OPENID_SCOPE });
    expect(request!.state).toMatch(/^relay\.[A-Za-z0-9_-]{43}$/);
    expect(win.iframes).toEqual([
      {
        src: expect.stringContaining('prompt=none'),
        removed: true,
        attributes: { 'aria-hidden': 'true', tabindex: '-1', title: 'Gatehouse session check', style: 'display:none' },
      },
    ]);
    // Nothing waits in sessionStorage and nobody listens any more.
    expect(h.storage.items.size).toBe(0);
    expect(win.listenerCount()).toBe(0);
    expect(h.location.assigned).toEqual([]);
  });

  it('accepts the callback posted by the callback page (relayCallback) as well as one read from the iframe', async () => {
    win.behaviour = 'message';
    const client = await newClient();
    await client.checkSession({ iframe: true });
    expect(await client.isAuthenticated()).toBe(true);
  });

  it('answers login_required as a LoginRequiredError, without navigating the page (no redirect loop)', async () => {
    h.server.setBrowserSignedIn(false);
    const client = await newClient();
    const error = await client.checkSession({ iframe: true }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LoginRequiredError);
    expect((error as LoginRequiredError).cause).toBeInstanceOf(OAuthError);
    expect(((error as LoginRequiredError).cause as OAuthError).error).toBe('login_required');
    expect(h.location.assigned).toEqual([]);
    expect(h.server.tokenRequests).toEqual([]);
    expect(await client.isAuthenticated()).toBe(false);
  });

  for (const wire of ['consent_required', 'interaction_required', 'account_selection_required']) {
    it(`answers ${wire} as an InteractionRequiredError carrying the wire code`, async () => {
      h.server.failNextAuthorization(wire);
      const client = await newClient();
      const error = await client.checkSession({ iframe: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InteractionRequiredError);
      expect(error).toMatchObject({ code: 'interaction_required', error: wire });
    });
  }

  it('gives up with a TimeoutError when the iframe never comes back, and removes it', async () => {
    win.behaviour = 'hang';
    const client = await newClient();
    await expect(client.checkSession({ iframe: true, timeoutSeconds: 0.2 })).rejects.toBeInstanceOf(TimeoutError);
    expect(win.iframes[0]?.removed).toBe(true);
    expect(win.listenerCount()).toBe(0);
  });

  it('ignores messages from other origins, other windows, or for another state', async () => {
    win.behaviour = 'hang';
    const client = await newClient();
    const checking = client.checkSession({ iframe: true, timeoutSeconds: 0.5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const forged = `${REDIRECT_URI}?code=stolen&state=relay.other&iss=${encodeURIComponent(h.server.issuer)}`;
    win.dispatchMessage({
      origin: 'https://evil.example',
      source: null,
      data: { type: 'gatehouse:callback', url: forged },
    });
    win.dispatchMessage({ origin: win.origin, source: {}, data: { type: 'gatehouse:callback', url: forged } });
    await expect(checking).rejects.toBeInstanceOf(TimeoutError);
    expect(h.server.tokenRequests).toEqual([]);
  });

  it('does not try the iframe when Gatehouse is not same-site with the page, unless told to', async () => {
    const client = await newClient(); // the page is https://app.example.test, Gatehouse http://127.0.0.1
    await expect(client.checkSession()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(win.iframes).toEqual([]);
    expect(h.server.authorizationRequests).toEqual([]);
  });
});

describe('same-site guess', () => {
  it('ignores ports, compares scheme and the last two host labels, and needs equal IP addresses', () => {
    const same = (a: string, b: string) => isProbablySameSite(new URL(a), new URL(b));
    expect(same('http://localhost:5173', 'http://localhost:8080')).toBe(true);
    expect(same('https://app.example.com', 'https://auth.example.com')).toBe(true);
    expect(same('https://example.com', 'https://auth.example.com')).toBe(true);
    expect(same('http://app.example.com', 'https://auth.example.com')).toBe(false);
    expect(same('https://app.example.com', 'https://auth.example.org')).toBe(false);
    expect(same('http://127.0.0.1:1', 'http://127.0.0.1:2')).toBe(true);
    expect(same('http://127.0.0.1', 'http://localhost')).toBe(false);
    expect(same('http://10.0.0.1', 'http://10.0.0.2')).toBe(false);
  });
});

describe('relayCallback', () => {
  const post = () => {
    const messages: Array<[unknown, string]> = [];
    return { messages, postMessage: (message: unknown, origin: string) => void messages.push([message, origin]) };
  };

  it('hands a popup or iframe callback to the opener or parent, to this origin only', () => {
    const opener = post();
    const url = 'https://app.example.test/callback?code=c&state=relay.abc&iss=x';
    expect(relayCallback(url, { location: { href: url }, opener, parent: null })).toBe(true);
    expect(opener.messages).toEqual([[{ type: 'gatehouse:callback', url }, 'https://app.example.test']]);

    const parent = post();
    expect(relayCallback(url, { location: { href: url }, opener: null, parent })).toBe(true);
    expect(parent.messages).toHaveLength(1);
  });

  it('leaves a redirect sign-in (plain state) or a top-level page alone', () => {
    const opener = post();
    const plain = 'https://app.example.test/callback?code=c&state=abc';
    expect(relayCallback(plain, { location: { href: plain }, opener })).toBe(false);
    const relay = 'https://app.example.test/callback?code=c&state=relay.abc';
    const top = { location: { href: relay }, opener: null, parent: null as never };
    (top as { parent: unknown }).parent = top;
    expect(relayCallback(relay, top)).toBe(false);
    expect(opener.messages).toEqual([]);
  });
});

describe('sign-in options', () => {
  it('sends prompt, login_hint, max_age, ui_locales and extra scopes, and leaves them out when not given', async () => {
    const client = await newClient();
    const url = new URL(
      await client.buildAuthorizeUrl({
        prompt: 'login',
        loginHint: 'ada@example.test',
        maxAge: 0,
        uiLocales: 'de en',
        extraScopes: ['openid', 'core.aiservices.read'],
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      prompt: 'login',
      login_hint: 'ada@example.test',
      max_age: '0',
      ui_locales: 'de en',
      scope: `${SCOPE} openid`,
    });
    const plain = new URL(await client.buildAuthorizeUrl());
    for (const name of ['prompt', 'login_hint', 'max_age', 'ui_locales'])
      expect(plain.searchParams.has(name)).toBe(false);
  });

  it('a redirect sign-in with prompt=none gets the same typed errors on its callback', async () => {
    const client = await newClient();
    h.server.setBrowserSignedIn(false);
    const loginRequired = await h.server.authorize(await client.buildAuthorizeUrl({ prompt: 'none' }));
    await expect(client.handleRedirectCallback(loginRequired)).rejects.toBeInstanceOf(LoginRequiredError);
    h.server.failNextAuthorization('consent_required');
    const consentRequired = await h.server.authorize(await client.buildAuthorizeUrl({ prompt: 'none' }));
    await expect(client.handleRedirectCallback(consentRequired)).rejects.toMatchObject({
      code: 'interaction_required',
      error: 'consent_required',
    });
    // A normal redirect sign-in's state has no relay prefix: its callback page handles it itself.
    expect(new URL(await client.buildAuthorizeUrl()).searchParams.get('state')).not.toMatch(/^relay\./);
  });

  it('rejects a max_age that is not a whole number of seconds', async () => {
    const client = await newClient();
    await expect(client.buildAuthorizeUrl({ maxAge: 1.5 })).rejects.toMatchObject({ code: 'invalid_configuration' });
  });

  it('with max_age and openid, refuses an ID token whose auth_time is older than max_age', async () => {
    const client = await newClient({ scope: OPENID_SCOPE });
    // The fake user signed in an hour before the clock's start.
    const callback = await h.server.authorize(await client.buildAuthorizeUrl({ maxAge: 60 }));
    await expect(client.handleRedirectCallback(callback)).rejects.toMatchObject({ code: 'invalid_response' });
    const fresh = await h.server.authorize(await client.buildAuthorizeUrl({ maxAge: 7200 }));
    await client.handleRedirectCallback(fresh);
    expect(await client.isAuthenticated()).toBe(true);
  });
});
