import { describe, expect, it } from 'vitest';
import { parseParameters } from '../parameters.js';
import {
  formEncode,
  READ,
  SEED_CHALLENGE,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_USER_REALM,
} from '../testing/fakes.js';
import {
  PARKED_ALICE as ALICE,
  PARKED_BROWSER as BROWSER,
  parkedForm as form,
  parkedSignIn as parked,
} from '../testing/parked-sign-in.js';
import { startAuthorization } from './flow.js';
import { submitLogin } from './interaction.js';

const realm = SEED_USER_REALM;

describe('startAuthorization with max_age, login_hint, ui_locales (OIDC Core §3.1.2.1, issue 11)', () => {
  async function signedIn(maxAge: string, elapsed: number, prompt?: string) {
    const { deps, fake } = await parked();
    const login = await submitLogin(deps, { ...form(), username: 'alice', password: 'correct horse' });
    if (!('sessionCookie' in login)) throw new Error('not signed in');
    await fake.consents.grant(
      {
        tenantId: realm.tenantId,
        realmId: realm.id,
        userId: ALICE.id,
        clientId: SEED_CLIENT_ID,
        scopes: ['openid', READ],
      },
      0,
    );
    fake.clock.now += elapsed;
    return startAuthorization(deps, {
      realm,
      parameters: parseParameters(
        formEncode({
          client_id: SEED_CLIENT_ID,
          response_type: 'code',
          redirect_uri: SEED_REDIRECT_URI,
          scope: `openid ${READ}`,
          state: 'st-2',
          code_challenge: SEED_CHALLENGE,
          code_challenge_method: 'S256',
          max_age: maxAge,
          prompt,
        }),
      ),
      cookies: { session: login.sessionCookie, browser: BROWSER },
    });
  }

  it('issues a code while the sign-in is recent enough', async () => {
    expect((await signedIn('600', 600)).kind).toBe('issue_code');
  });

  it('asks to sign in again once it is older, and max_age=0 always', async () => {
    expect((await signedIn('600', 601)).kind).toBe('show_login');
    expect((await signedIn('0', 0)).kind).toBe('show_login');
  });

  it('with prompt=none, a too-old sign-in is login_required at the client', async () => {
    const outcome = await signedIn('60', 61, 'none');
    expect(outcome.kind).toBe('redirect_error');
    if (outcome.kind === 'redirect_error') expect(outcome.error.error).toBe('login_required');
  });

  it('keeps login_hint and ui_locales with the parked request', async () => {
    const { fake } = await parked({ login_hint: 'alice', ui_locales: 'de fr' });
    expect(fake.pendingAuthorizations.records.get('random-1')).toMatchObject({
      loginHint: 'alice',
      uiLocales: 'de fr',
    });
  });
});
