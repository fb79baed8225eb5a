import { describe, expect, it } from 'vitest';
import { ConsentRequired, InvalidScope, LoginRequired, UntrustedRedirect } from '../errors.js';
import { parseParameters } from '../parameters.js';
import { hashOpaqueSecret } from '../secrets.js';
import {
  formEncode,
  READ,
  SEED_CHALLENGE,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_USER,
  SEED_USER_REALM,
  seedClient,
  T0,
  WRITE,
} from '../testing/fakes.js';
import { createSignInFlow, type FakeSignInFlow } from '../testing/sign-in-fakes.js';
import { loadPendingAuthorization, startAuthorization } from './flow.js';

const realm = SEED_USER_REALM;
const BROWSER = 'b'.repeat(43);

function query(overrides: Record<string, string | undefined> = {}) {
  return parseParameters(
    formEncode({
      client_id: SEED_CLIENT_ID,
      response_type: 'code',
      redirect_uri: SEED_REDIRECT_URI,
      scope: `${READ} ${WRITE}`,
      state: 'st-1',
      code_challenge: SEED_CHALLENGE,
      code_challenge_method: 'S256',
      ...overrides,
    }),
  );
}

function flow(clientOverrides = {}): FakeSignInFlow {
  return createSignInFlow({ clients: [seedClient(clientOverrides)], users: [SEED_USER] });
}

/** Alice has a live session whose cookie is `session-cookie`. */
async function signedIn(fake: FakeSignInFlow): Promise<string> {
  await fake.sessions.insert(
    hashOpaqueSecret('session-cookie'),
    { realmId: realm.id, tenantId: realm.tenantId, userId: SEED_USER.id, authTime: T0 - 10, expiresAt: T0 + 100 },
    T0 - 10,
  );
  return 'session-cookie';
}

describe('startAuthorization', () => {
  it('refuses an unknown client with an error page, never a redirect', async () => {
    const outcome = await startAuthorization(flow().deps, {
      realm,
      parameters: query({ client_id: '00000000-0000-4000-8000-000000000000' }),
      cookies: { session: undefined, browser: undefined },
    });
    expect(outcome.kind).toBe('untrusted_request');
    expect(outcome.kind === 'untrusted_request' && outcome.error).toBeInstanceOf(UntrustedRedirect);
  });

  it('redirects an invalid request to the client with error, state and iss', async () => {
    const outcome = await startAuthorization(flow().deps, {
      realm,
      parameters: query({ scope: 'not.assigned' }),
      cookies: { session: undefined, browser: undefined },
    });
    expect(outcome.kind).toBe('redirect_error');
    if (outcome.kind !== 'redirect_error') return;
    expect(outcome.error).toBeInstanceOf(InvalidScope);
    const url = new URL(outcome.location);
    expect(`${url.origin}${url.pathname}`).toBe(SEED_REDIRECT_URI);
    expect(url.searchParams.get('error')).toBe('invalid_scope');
    expect(url.searchParams.get('state')).toBe('st-1');
    expect(url.searchParams.get('iss')).toBe(realm.issuer);
  });

  it('parks the request and shows the login page to a person who is not signed in, binding a new browser', async () => {
    const fake = flow();
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query(),
      cookies: { session: undefined, browser: undefined },
    });
    // Draws: the pending id, the browser binding, the CSRF token.
    expect(outcome).toEqual({
      kind: 'show_login',
      location: `${realm.issuer}/login?request=random-1`,
      browserCookie: 'random-2',
    });
    expect(fake.pendingAuthorizations.records.get('random-1')).toMatchObject({
      clientId: SEED_CLIENT_ID,
      realmId: realm.id,
      scopes: [READ, WRITE],
      state: 'st-1',
      browserHash: hashOpaqueSecret('random-2'),
      csrfToken: 'random-3',
      userId: null,
      createdAt: T0,
      expiresAt: T0 + 600,
    });
  });

  it('keeps a well-formed browser binding the browser already has', async () => {
    const fake = flow();
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query(),
      cookies: { session: undefined, browser: BROWSER },
    });
    expect(outcome).toEqual({ kind: 'show_login', location: `${realm.issuer}/login?request=random-1` });
    expect(fake.pendingAuthorizations.records.get('random-1')?.browserHash).toBe(hashOpaqueSecret(BROWSER));
  });

  it('shows the consent page to a signed-in person who has not granted the scopes, for that person', async () => {
    const fake = flow();
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query(),
      cookies: { session: await signedIn(fake), browser: BROWSER },
    });
    expect(outcome).toEqual({ kind: 'show_consent', location: `${realm.issuer}/consent?request=random-1` });
    expect(fake.pendingAuthorizations.records.get('random-1')?.userId).toBe(SEED_USER.id);
  });

  it('issues a code at once when the person is signed in and granted every scope before', async () => {
    const fake = flow();
    await fake.consents.grant(
      {
        tenantId: realm.tenantId,
        realmId: realm.id,
        userId: SEED_USER.id,
        clientId: SEED_CLIENT_ID,
        scopes: [READ, WRITE],
      },
      T0,
    );
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query(),
      cookies: { session: await signedIn(fake), browser: undefined },
    });
    expect(outcome.kind).toBe('issue_code');
    const url = new URL(outcome.kind === 'issue_code' ? outcome.location : '');
    expect(url.searchParams.get('code')).toBe('random-1');
    expect(url.searchParams.get('state')).toBe('st-1');
    expect(url.searchParams.get('iss')).toBe(realm.issuer);
    expect(fake.codes.records.get(hashOpaqueSecret('random-1'))).toMatchObject({
      userId: SEED_USER.id,
      sessionId: hashOpaqueSecret('session-cookie'),
      authTime: T0 - 10,
      expiresAt: T0 + 60,
    });
    expect(fake.pendingAuthorizations.records.size).toBe(0);
  });

  it('issues a code for a first-party client without asking for consent', async () => {
    const fake = flow({ consentMode: 'skip' });
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query(),
      cookies: { session: await signedIn(fake), browser: undefined },
    });
    expect(outcome.kind).toBe('issue_code');
  });

  it('answers prompt=none with login_required when nobody is signed in, parking nothing', async () => {
    const fake = flow();
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query({ prompt: 'none' }),
      cookies: { session: undefined, browser: undefined },
    });
    expect(outcome.kind === 'redirect_error' && outcome.error).toBeInstanceOf(LoginRequired);
    expect(fake.pendingAuthorizations.records.size).toBe(0);
  });

  it('answers prompt=none with consent_required when consent is missing', async () => {
    const fake = flow();
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query({ prompt: 'none' }),
      cookies: { session: await signedIn(fake), browser: undefined },
    });
    expect(outcome.kind === 'redirect_error' && outcome.error).toBeInstanceOf(ConsentRequired);
  });

  it('ignores a session of a disabled person and asks for sign-in', async () => {
    const fake = createSignInFlow({ clients: [seedClient()], users: [{ ...SEED_USER, disabled: true }] });
    const outcome = await startAuthorization(fake.deps, {
      realm,
      parameters: query(),
      cookies: { session: await signedIn(fake), browser: BROWSER },
    });
    expect(outcome.kind).toBe('show_login');
  });
});

describe('loadPendingAuthorization', () => {
  async function parked(fake: FakeSignInFlow): Promise<string> {
    await startAuthorization(fake.deps, {
      realm,
      parameters: query(),
      cookies: { session: undefined, browser: BROWSER },
    });
    return 'random-1';
  }

  it('finds the pending request and its client in the browser that started it', async () => {
    const fake = flow();
    const requestId = await parked(fake);
    const lookup = await loadPendingAuthorization(fake.deps, {
      realm,
      requestId,
      browserCookie: BROWSER,
      csrfToken: 'random-2',
    });
    expect(lookup.ok && [lookup.pending.id, lookup.client.clientId]).toEqual([requestId, SEED_CLIENT_ID]);
  });

  it('refuses an unknown or expired request as expired', async () => {
    const fake = flow();
    const requestId = await parked(fake);
    const input = { realm, requestId, browserCookie: BROWSER, csrfToken: null };
    expect(await loadPendingAuthorization(fake.deps, { ...input, requestId: undefined })).toEqual({
      ok: false,
      reason: 'expired',
    });
    fake.clock.now = T0 + 600;
    expect(await loadPendingAuthorization(fake.deps, input)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another browser, and a form whose CSRF token is not the one issued', async () => {
    const fake = flow();
    const requestId = await parked(fake);
    expect(
      await loadPendingAuthorization(fake.deps, { realm, requestId, browserCookie: undefined, csrfToken: null }),
    ).toEqual({
      ok: false,
      reason: 'other_browser',
    });
    expect(
      await loadPendingAuthorization(fake.deps, { realm, requestId, browserCookie: 'c'.repeat(43), csrfToken: null }),
    ).toEqual({ ok: false, reason: 'other_browser' });
    expect(
      await loadPendingAuthorization(fake.deps, { realm, requestId, browserCookie: BROWSER, csrfToken: '' }),
    ).toEqual({
      ok: false,
      reason: 'form_expired',
    });
  });

  it('refuses a request whose client is no longer registered', async () => {
    const fake = flow();
    const requestId = await parked(fake);
    const gone = { ...fake.deps, clients: { findById: async () => undefined } };
    expect(await loadPendingAuthorization(gone, { realm, requestId, browserCookie: BROWSER, csrfToken: null })).toEqual(
      {
        ok: false,
        reason: 'unknown_client',
      },
    );
  });
});
