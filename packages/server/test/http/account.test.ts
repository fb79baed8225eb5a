import { beforeEach, describe, expect, it } from 'vitest';
import { hiddenInput, obtainTokens, postForm, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  ISSUER_C,
  ISSUER_U,
  SEED_CLIENT_ID,
  seedAuthorizeParams,
  testDialects,
  useTestServer,
} from '../support/harness.js';

const ACCOUNT = `${ISSUER_U}/account`;

for (const dialect of testDialects('account page (issue 11)')) {
  describe(`account page {issuer}/account (issue 11) on ${dialect}`, () => {
    const server = useTestServer('each', { dialect });
    let browser: TestBrowser;
    beforeEach(() => {
      browser = new TestBrowser(server.app);
    });

    /** Signs in on the account page itself (no authorization request behind it). */
    async function signInToAccount(b = browser, credentials = AGENT) {
      const form = await b.get(ACCOUNT);
      const login = await b.postForm(`${ACCOUNT}/login`, {
        csrf_token: hiddenInput(form.body, 'csrf_token'),
        ...credentials,
      });
      expect(login.statusCode).toBe(303);
      expect(login.headers.location).toBe(ACCOUNT);
      const page = await b.get(ACCOUNT);
      return { page, csrf: hiddenInput(page.body, 'csrf_token') };
    }

    const refresh = (refreshToken: string) =>
      postForm(server.app, ISSUER_U, '/oauth2/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: SEED_CLIENT_ID,
      });

    it('asks a signed-out person to sign in, with a CSRF-protected form bound to this browser', async () => {
      const page = await browser.get(ACCOUNT);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Sign in to your account');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).not.toContain('<script');
      expect(browser.cookie('gh_browser')).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const forged = await browser.postForm(`${ACCOUNT}/login`, { csrf_token: 'forged', ...AGENT });
      expect(forged.statusCode).toBe(403);
      const otherBrowser = await new TestBrowser(server.app).postForm(`${ACCOUNT}/login`, {
        csrf_token: hiddenInput(page.body, 'csrf_token'),
        ...AGENT,
      });
      expect(otherBrowser.statusCode).toBe(403);
      const wrong = await browser.postForm(`${ACCOUNT}/login`, {
        csrf_token: hiddenInput(page.body, 'csrf_token'),
        username: AGENT.username,
        password: 'not-the-password',
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain('Incorrect username or password.');
    });

    it('a customer cannot use the agent realm account page, and realms keep separate sessions', async () => {
      await signInToAccount();
      const customerRealm = await browser.get(`${ISSUER_C}/account`);
      expect(customerRealm.body).toContain('Sign in to your account');
    });

    it('lists the applications the person allowed, and withdrawing one revokes its refresh tokens', async () => {
      const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT, browser);
      // The session of the sign-in is the account page's session too.
      const page = await browser.get(ACCOUNT);
      const csrf = hiddenInput(page.body, 'csrf_token');
      expect(page.body).toContain('Signed in as agent.');
      expect(page.body).toContain('Seed SPA');
      expect(page.body).toContain('Allowed: core.aiservices.read core.aiservices.write');
      expect(page.body).toContain(`name="client_id" value="${SEED_CLIENT_ID}"`);

      const forged = await browser.postForm(`${ACCOUNT}/consents/withdraw`, {
        csrf_token: 'x',
        client_id: SEED_CLIENT_ID,
      });
      expect(forged.statusCode).toBe(403);

      const withdraw = await browser.postForm(`${ACCOUNT}/consents/withdraw`, {
        csrf_token: csrf,
        client_id: SEED_CLIENT_ID,
      });
      expect(withdraw.statusCode).toBe(303);
      expect(withdraw.headers.location).toBe(`${ACCOUNT}?notice=withdrawn`);
      const after = await browser.get(withdraw.headers.location as string);
      expect(after.body).toContain('Access withdrawn.');
      expect(after.body).toContain('No application has access to your account.');
      // The person's own withdrawal is in the audit trail, like an administrator's.
      const audited = await server.database.db
        .selectFrom('audit_events')
        .select(['actor_kind', 'actor_name', 'detail_json'])
        .where('type', '=', 'consent.withdrawn')
        .execute();
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({ actor_kind: 'person', actor_name: 'agent' });
      expect(JSON.parse(audited[0]!.detail_json!)).toMatchObject({ client_id: SEED_CLIENT_ID, by: 'person' });

      const refused = await refresh(String(tokens.refresh_token));
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toBe('invalid_grant');
      const introspection = await postForm(
        server.app,
        ISSUER_U,
        '/oauth2/introspect',
        { token: String(tokens.access_token) },
        {
          authorization: `Basic ${Buffer.from(`${server.webClient.clientId}:${server.webClient.secret}`).toString('base64')}`,
        },
      );
      expect(introspection.json().active).toBe(false);
    });

    it('changes the password: blank and wrong current refused, then every other session and refresh token ends', async () => {
      const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
      const other = new TestBrowser(server.app);
      await signInToAccount(other);
      const { csrf } = await signInToAccount();

      const blank = await browser.postForm(`${ACCOUNT}/password`, {
        csrf_token: csrf,
        current_password: AGENT.password,
        new_password: '   ',
      });
      expect(blank.statusCode).toBe(400);
      expect(blank.body).toContain('Choose a new password that is not blank.');
      const short = await browser.postForm(`${ACCOUNT}/password`, {
        csrf_token: csrf,
        current_password: AGENT.password,
        new_password: 'short',
      });
      expect(short.statusCode).toBe(400);
      const wrong = await browser.postForm(`${ACCOUNT}/password`, {
        csrf_token: csrf,
        current_password: 'not-the-password',
        new_password: 'a-brand-new-password',
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('The current password is not correct.');
      const forged = await browser.postForm(`${ACCOUNT}/password`, {
        csrf_token: 'forged',
        current_password: AGENT.password,
        new_password: 'a-brand-new-password',
      });
      expect(forged.statusCode).toBe(403);

      server.clock.advance(1);
      const changed = await browser.postForm(`${ACCOUNT}/password`, {
        csrf_token: csrf,
        current_password: AGENT.password,
        new_password: 'a-brand-new-password',
      });
      expect(changed.statusCode).toBe(303);
      expect(changed.headers.location).toBe(`${ACCOUNT}?notice=password_changed`);
      const stillHere = await browser.get(changed.headers.location as string);
      expect(stillHere.body).toContain('Your password was changed.');
      expect((await other.get(ACCOUNT)).body).toContain('Sign in to your account');
      expect((await refresh(String(tokens.refresh_token))).json().error).toBe('invalid_grant');

      const fresh = new TestBrowser(server.app);
      const form = await fresh.get(ACCOUNT);
      const oldPassword = await fresh.postForm(`${ACCOUNT}/login`, {
        csrf_token: hiddenInput(form.body, 'csrf_token'),
        ...AGENT,
      });
      expect(oldPassword.statusCode).toBe(401);
      const newPassword = await fresh.postForm(`${ACCOUNT}/login`, {
        csrf_token: hiddenInput(form.body, 'csrf_token'),
        username: AGENT.username,
        password: 'a-brand-new-password',
      });
      expect(newPassword.statusCode).toBe(303);
    });

    it('signs out of every session of the person in the realm, ending their refresh tokens', async () => {
      const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
      const other = new TestBrowser(server.app);
      await signInToAccount(other);
      const { csrf } = await signInToAccount();
      const forged = await browser.postForm(`${ACCOUNT}/sign-out-everywhere`, { csrf_token: 'forged' });
      expect(forged.statusCode).toBe(403);

      const out = await browser.postForm(`${ACCOUNT}/sign-out-everywhere`, { csrf_token: csrf });
      expect(out.statusCode).toBe(303);
      expect(out.headers.location).toBe(`${ACCOUNT}?notice=signed_out_everywhere`);
      expect(String(out.headers['set-cookie'])).toMatch(/gh_session=; .*Max-Age=0/);
      const page = await browser.get(out.headers.location as string);
      expect(page.body).toContain('You were signed out of every session.');
      expect(page.body).toContain('Sign in to your account');
      expect((await other.get(ACCOUNT)).body).toContain('Sign in to your account');
      expect(await server.database.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
      expect((await refresh(String(tokens.refresh_token))).json().error).toBe('invalid_grant');
      // The audit trail (issue 9) records the account page's sign-ins and the sign-out like the login page's.
      const events = await server.database.db
        .selectFrom('audit_events')
        .select('type')
        .where('type', 'in', ['sign-in.succeeded', 'logout'])
        .orderBy('at')
        .execute();
      expect(events.map((event) => event.type).filter((type) => type === 'logout')).toEqual(['logout']);
      expect(events.filter((event) => event.type === 'sign-in.succeeded').length).toBeGreaterThanOrEqual(3);
    });

    it('signed-out posts go back to the account page without changing anything', async () => {
      const withdraw = await browser.postForm(`${ACCOUNT}/consents/withdraw`, {
        csrf_token: 'x',
        client_id: SEED_CLIENT_ID,
      });
      expect(withdraw.statusCode).toBe(303);
      expect(withdraw.headers.location).toBe(ACCOUNT);
    });

    it('speaks German when asked, and ignores unknown notices', async () => {
      const page = await browser.get(`${ACCOUNT}?notice=<script>`, { 'accept-language': 'de' });
      expect(page.headers['content-language']).toBe('de');
      expect(page.body).toContain('Bei Ihrem Konto anmelden');
      expect(page.body).not.toContain('&lt;script');
      expect(page.body).not.toContain('class="notice"');
    });
  });
}
