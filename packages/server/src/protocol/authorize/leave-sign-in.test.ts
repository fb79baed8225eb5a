import { describe, expect, it } from 'vitest';
import { SEED_USER_REALM } from '../testing/fakes.js';
import { parkedForm as form, parkedSignIn as parked } from '../testing/parked-sign-in.js';
import { submitLogin } from './interaction.js';
import { cancelSignIn, switchAccount } from './leave-sign-in.js';

const realm = SEED_USER_REALM;

describe('cancelSignIn ("Back to the application", issue 11)', () => {
  it('closes the request and redirects access_denied with state and iss (RFC 6749 §4.1.2.1, RFC 9207)', async () => {
    const { deps, fake } = await parked();
    const outcome = await cancelSignIn(deps, form());
    expect(outcome.kind).toBe('redirect_error');
    if (outcome.kind !== 'redirect_error') return;
    const url = new URL(outcome.location);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('st-1');
    expect(url.searchParams.get('iss')).toBe(realm.issuer);
    expect(fake.pendingAuthorizations.records.get('random-1')?.completedAt).not.toBeNull();
    expect(await cancelSignIn(deps, form())).toEqual({ kind: 'pending_refused', reason: 'expired' });
  });

  it('refuses a wrong CSRF token and another browser, leaving the request open', async () => {
    const { deps, fake } = await parked();
    expect(await cancelSignIn(deps, form('nope'))).toEqual({ kind: 'pending_refused', reason: 'form_expired' });
    expect(await cancelSignIn(deps, { ...form(), cookies: { session: undefined, browser: 'c'.repeat(43) } })).toEqual({
      kind: 'pending_refused',
      reason: 'other_browser',
    });
    expect(fake.pendingAuthorizations.records.get('random-1')?.completedAt).toBeNull();
  });
});

describe('switchAccount ("Not you?", issue 11)', () => {
  it('ends the session and its refresh tokens, and shows the login page for the same request', async () => {
    const { deps, fake, revoked } = await parked();
    const login = await submitLogin(deps, { ...form(), username: 'alice', password: 'correct horse' });
    if (!('sessionCookie' in login)) throw new Error(`not signed in: ${login.kind}`);
    const [sessionId] = [...fake.sessions.records.keys()];

    const outcome = await switchAccount(deps, form('random-2', login.sessionCookie));
    expect(outcome).toEqual({
      kind: 'show_login',
      location: `${realm.issuer}/login?request=random-1`,
      sessionEnded: true,
    });
    expect(fake.sessions.records.size).toBe(0);
    expect(revoked).toEqual([{ sessionId }]);
    expect(fake.pendingAuthorizations.records.get('random-1')?.completedAt).toBeNull();
  });

  it('without a session just shows the login page again; a wrong CSRF token is refused', async () => {
    const { deps } = await parked();
    expect(await switchAccount(deps, form())).toMatchObject({ kind: 'show_login', sessionEnded: false });
    expect(await switchAccount(deps, form('nope'))).toEqual({ kind: 'pending_refused', reason: 'form_expired' });
  });
});
