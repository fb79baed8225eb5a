import type { MessageKey } from '../../i18n/index.js';
import type { ConsentedApplication } from '../../protocol/account.js';
import { html } from '../html.js';
import { layout } from './layout.js';
import type { PageContext } from './page-context.js';

/** Notices shown after a successful account form (Post/Redirect/Get: `?notice=`). */
export const ACCOUNT_NOTICES = {
  withdrawn: 'account.withdrawn',
  password_changed: 'account.password_changed',
  signed_out_everywhere: 'account.signed_out_everywhere',
} as const satisfies Record<string, MessageKey>;
export type AccountNotice = keyof typeof ACCOUNT_NOTICES;

/** The account's sign-in form (no pending authorization request behind it). */
export function renderAccountSignInPage(
  pc: PageContext,
  input: { issuer: string; csrfToken: string; username?: string; error?: string; notice?: AccountNotice },
): string {
  const { t } = pc;
  return layout(
    pc,
    t('account.title'),
    html`<h1>${t('account.sign_in_heading')}</h1>
<p>${t('account.sign_in_intro')}</p>
${input.notice ? html`<div class="notice" role="status">${t(ACCOUNT_NOTICES[input.notice])}</div>` : ''}
${input.error ? html`<div class="alert" role="alert">${input.error}</div>` : ''}
<form method="post" action="${input.issuer}/account/login">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
<label for="username">${t('login.username')}</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${input.username ?? ''}">
<label for="password">${t('login.password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">${t('login.submit')}</button></div>
</form>`,
  );
}

/**
 * The account page: applications with a withdraw button each, password change, sign out
 * everywhere. Every form posts the CSRF token; nothing needs JavaScript.
 */
export function renderAccountPage(
  pc: PageContext,
  input: {
    issuer: string;
    username: string;
    csrfToken: string;
    applications: readonly ConsentedApplication[];
    notice?: AccountNotice;
    error?: string;
  },
): string {
  const { t } = pc;
  const csrf = html`<input type="hidden" name="csrf_token" value="${input.csrfToken}">`;
  return layout(
    pc,
    t('account.title'),
    html`<h1>${t('account.heading')}</h1>
<p>${t('account.signed_in_as', { username: input.username })}</p>
${input.notice ? html`<div class="notice" role="status">${t(ACCOUNT_NOTICES[input.notice])}</div>` : ''}
${input.error ? html`<div class="alert" role="alert">${input.error}</div>` : ''}
<section>
<h2>${t('account.apps_heading')}</h2>
${
  input.applications.length === 0
    ? html`<p>${t('account.apps_none')}</p>`
    : html`<ul class="apps">
${input.applications.map(
  (
    app,
  ) => html`<li><span><strong>${app.client.name}</strong><span class="name">${t('account.scopes', { scopes: app.scopes.join(' ') })}</span></span>
<form method="post" action="${input.issuer}/account/consents/withdraw">${csrf}<input type="hidden" name="client_id" value="${app.client.clientId}"><button type="submit" class="secondary">${t('account.withdraw')}</button></form></li>`,
)}
</ul>`
}
</section>
<section>
<h2>${t('account.password_heading')}</h2>
<form method="post" action="${input.issuer}/account/password">
${csrf}
<input type="text" name="username" autocomplete="username" value="${input.username}" hidden>
<label for="current_password">${t('account.current_password')}</label>
<input type="password" id="current_password" name="current_password" autocomplete="current-password" required>
<label for="new_password">${t('account.new_password')}</label>
<input type="password" id="new_password" name="new_password" autocomplete="new-password" required>
<div class="actions single"><button type="submit">${t('account.password_submit')}</button></div>
</form>
</section>
<section>
<h2>${t('account.everywhere_heading')}</h2>
<p>${t('account.everywhere_text')}</p>
<form method="post" action="${input.issuer}/account/sign-out-everywhere">
${csrf}
<div class="actions single"><button type="submit" class="secondary">${t('account.everywhere_submit')}</button></div>
</form>
</section>`,
  );
}
