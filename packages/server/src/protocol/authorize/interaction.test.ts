import { describe, expect, it } from 'vitest';
import { AccessDenied } from '../errors.js';
import type { Client } from '../model.js';
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
} from '../testing/fakes.js';
import { createSignInFlow, type FakeSignInFlow, fakePasswordHash } from '../testing/sign-in-fakes.js';
import { startAuthorization } from './flow.js';
import { showConsent, showLogin, submitConsent, submitLogin } from './interaction.js';

const realm = SEED_USER_REALM;
const BROWSER = 'b'.repeat(43);
const ALICE = { ...SEED_USER, passwordHash: fakePasswordHash('correct horse') };

/** A flow with the seed client and Alice, and a request parked for `scope` in BROWSER: id random-1, CSRF random-2. */
async function parked(clientOverrides: Partial<Client> = {}, scope = `openid ${READ}`) {
  const fake = createSignInFlow({
    clients: [seedClient(clientOverrides)],
    users: [ALICE],
    scopeCatalogue: { [realm.tenantId]: [{ name: READ, description: 'Read your AI services' }] },
  });
  const parameters = parseParameters(
    formEncode({
      client_id: SEED_CLIENT_ID,
      response_type: 'code',
      redirect_uri: SEED_REDIRECT_URI,
      scope,
      state: 'st-1',
      code_challenge: SEED_CHALLENGE,
      code_challenge_method: 'S256',
    }),
  );
  const outcome = await startAuthorization(fake.deps, {
    realm,
    parameters,
    cookies: { session: undefined, browser: BROWSER },
  });
  expect(outcome.kind).toBe('show_login');
  return fake;
}

function login(fake: FakeSignInFlow, overrides: { password?: string; csrfToken?: string; session?: string } = {}) {
  return submitLogin(fake.deps, {
    realm,
    requestId: 'random-1',
    csrfToken: overrides.csrfToken ?? 'random-2',
    cookies: { session: overrides.session, browser: BROWSER },
    username: 'alice',
    password: overrides.password ?? 'correct horse',
    clientAddress: '192.0.2.1',
  });
}

describe('showLogin', () => {
  it('shows the pending request and its client in the browser that started it', async () => {
    const fake = await parked();
    const lookup = await showLogin(fake.deps, {
      realm,
      requestId: 'random-1',
      cookies: { session: undefined, browser: BROWSER },
    });
    expect(lookup.ok && lookup.client.name).toBe('Demo SPA');
  });

  it('refuses another browser', async () => {
    const fake = await parked();
    const lookup = await showLogin(fake.deps, {
      realm,
      requestId: 'random-1',
      cookies: { session: undefined, browser: undefined },
    });
    expect(lookup).toEqual({ ok: false, reason: 'other_browser' });
  });
});

describe('submitLogin', () => {
  it('refuses a form without the CSRF token issued with the request', async () => {
    expect(await login(await parked(), { csrfToken: '' })).toEqual({ kind: 'pending_refused', reason: 'form_expired' });
  });

  it('answers a wrong password with invalid_credentials and starts no session', async () => {
    const fake = await parked();
    const outcome = await login(fake, { password: 'wrong' });
    expect(outcome.kind).toBe('invalid_credentials');
    expect(fake.sessions.records.size).toBe(0);
  });

  it('throttles after the configured number of failures, saying when to retry', async () => {
    const fake = await parked();
    for (let i = 0; i < 3; i++) await login(fake, { password: 'wrong' });
    fake.clock.now = T0 + 100;
    const outcome = await login(fake);
    expect(outcome).toMatchObject({ kind: 'throttled', retryAfterSeconds: 200 });
  });

  it('starts a fresh session, replacing the old one, and asks for consent when scopes are not granted', async () => {
    const fake = await parked();
    await fake.sessions.insert(
      'old-hash',
      { realmId: realm.id, tenantId: realm.tenantId, userId: 'x', authTime: T0, expiresAt: T0 + 9 },
      T0,
    );
    const outcome = await login(fake, { session: 'old-cookie' });
    // Draw 3 is the new session id.
    expect(outcome).toEqual({
      kind: 'show_consent',
      location: `${realm.issuer}/consent?request=random-1`,
      sessionCookie: 'random-3',
    });
    expect(fake.sessions.records.has(hashOpaqueSecret('random-3'))).toBe(true);
    expect(fake.sessions.records.has(hashOpaqueSecret('old-cookie'))).toBe(false);
    expect(fake.pendingAuthorizations.records.get('random-1')?.userId).toBe(ALICE.id);
  });

  it('issues a code at once for a first-party client and closes the request', async () => {
    const fake = await parked({ consentMode: 'skip' });
    const outcome = await login(fake);
    expect(outcome.kind).toBe('issue_code');
    if (outcome.kind !== 'issue_code') return;
    expect(outcome.sessionCookie).toBe('random-3');
    expect(new URL(outcome.location).searchParams.get('code')).toBe('random-4');
    expect(fake.codes.records.get(hashOpaqueSecret('random-4'))?.sessionId).toBe(hashOpaqueSecret('random-3'));
    expect(fake.pendingAuthorizations.records.get('random-1')?.completedAt).toBe(T0);
  });

  it('issues no second code when the request was already completed', async () => {
    const fake = await parked({ consentMode: 'skip' });
    const original = fake.deps.pendingAuthorizations.findOpen;
    // The request is still open when looked up, but another submission closes it first.
    fake.deps.pendingAuthorizations.findOpen = async (...args) => {
      const found = await original(...args);
      await fake.pendingAuthorizations.complete('random-1', T0);
      return found;
    };
    expect(await login(fake)).toEqual({ kind: 'already_completed', sessionCookie: 'random-3' });
    expect(fake.codes.records.size).toBe(0);
  });
});

describe('showConsent and submitConsent', () => {
  /** Alice signed in on the pending request; returns her session cookie. */
  async function signedInForConsent(fake: FakeSignInFlow): Promise<string> {
    const outcome = await login(fake);
    if (outcome.kind !== 'show_consent') throw new Error(`expected consent, got ${outcome.kind}`);
    return outcome.sessionCookie;
  }

  function consent(fake: FakeSignInFlow, session: string | undefined, decision: string | undefined) {
    return submitConsent(fake.deps, {
      realm,
      requestId: 'random-1',
      csrfToken: 'random-2',
      cookies: { session, browser: BROWSER },
      decision,
    });
  }

  it('sends a person who is not the one who signed in for the request to the login page', async () => {
    const fake = await parked();
    await signedInForConsent(fake);
    const outcome = await showConsent(fake.deps, {
      realm,
      requestId: 'random-1',
      cookies: { session: undefined, browser: BROWSER },
    });
    expect(outcome).toEqual({ kind: 'show_login', location: `${realm.issuer}/login?request=random-1` });
  });

  it("asks for the request's scopes with the tenant's words, the built-in words, or the name", async () => {
    const fake = await parked({ scopes: [READ, 'core.other'] }, `openid ${READ} core.other`);
    const session = await signedInForConsent(fake);
    const outcome = await showConsent(fake.deps, {
      realm,
      requestId: 'random-1',
      cookies: { session, browser: BROWSER },
    });
    expect(outcome.kind === 'ask_consent' && [outcome.user.username, outcome.scopes]).toEqual([
      'alice',
      [
        { name: 'openid', description: 'Confirm who you are' },
        { name: READ, description: 'Read your AI services' },
        { name: 'core.other', description: 'core.other' },
      ],
    ]);
  });

  it('refuses a pending request that no longer exists', async () => {
    const fake = await parked();
    const outcome = await showConsent(fake.deps, {
      realm,
      requestId: 'nope',
      cookies: { session: undefined, browser: BROWSER },
    });
    expect(outcome).toEqual({ kind: 'pending_refused', reason: 'expired' });
  });

  it('refuses an answer when the session has ended, and a decision that is neither allow nor deny', async () => {
    const fake = await parked();
    const session = await signedInForConsent(fake);
    expect(await consent(fake, undefined, 'allow')).toEqual({ kind: 'session_ended' });
    expect(await consent(fake, session, 'maybe')).toEqual({ kind: 'invalid_decision' });
  });

  it('allow records the grant and issues the code; a second answer is refused', async () => {
    const fake = await parked();
    const session = await signedInForConsent(fake);
    const outcome = await consent(fake, session, 'allow');
    expect(outcome.kind).toBe('issue_code');
    expect(await fake.consents.grantedScopes(ALICE.id, SEED_CLIENT_ID)).toEqual(['openid', READ]);
    expect(await consent(fake, session, 'allow')).toEqual({ kind: 'pending_refused', reason: 'expired' });
  });

  it('a double submit racing past the lookup gets already_answered', async () => {
    const fake = await parked();
    const session = await signedInForConsent(fake);
    await fake.pendingAuthorizations.complete('random-1', T0);
    fake.deps.pendingAuthorizations.findOpen = async () => fake.pendingAuthorizations.records.get('random-1');
    expect(await consent(fake, session, 'allow')).toEqual({ kind: 'already_answered' });
  });

  it('deny redirects access_denied with state and iss, and records nothing', async () => {
    const fake = await parked();
    const session = await signedInForConsent(fake);
    const outcome = await consent(fake, session, 'deny');
    expect(outcome.kind === 'redirect_error' && outcome.error).toBeInstanceOf(AccessDenied);
    const url = new URL(outcome.kind === 'redirect_error' ? outcome.location : '');
    expect([url.searchParams.get('error'), url.searchParams.get('state'), url.searchParams.get('iss')]).toEqual([
      'access_denied',
      'st-1',
      realm.issuer,
    ]);
    expect(fake.consents.grants.size).toBe(0);
    expect(fake.codes.records.size).toBe(0);
  });
});
