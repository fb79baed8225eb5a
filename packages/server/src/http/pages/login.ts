import { html } from '../html.js';
import { layout } from './layout.js';
import type { PageContext } from './page-context.js';

export interface LoginPageInput {
  readonly clientName: string;
  readonly formAction: string;
  /** Where "Back to the application" posts (the same form, so it carries the CSRF token). */
  readonly cancelAction: string;
  readonly requestId: string;
  readonly csrfToken: string;
  /** Prefilled: what the person typed, or the request's `login_hint` (OIDC Core §3.1.2.1). */
  readonly username?: string;
  readonly error?: string;
}

/**
 * The sign-in page. Contract relied on by tests: one form, inputs `username` and `password`.
 * "Back to the application" is a second submit button of that form with its own `formaction`
 * and `formnovalidate`; it comes after "Sign in" so Enter still signs in.
 */
export function renderLoginPage(pc: PageContext, input: LoginPageInput): string {
  const { t } = pc;
  return layout(
    pc,
    t('login.title'),
    html`<h1>${t('login.heading')}</h1>
<p>${t('login.continue_to', { client: input.clientName })}</p>
${input.error ? html`<div class="alert" role="alert">${input.error}</div>` : ''}
<form method="post" action="${input.formAction}">
<input type="hidden" name="request" value="${input.requestId}">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
<label for="username">${t('login.username')}</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required ${input.username ? '' : 'autofocus'} value="${input.username ?? ''}">
<label for="password">${t('login.password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required ${input.username ? 'autofocus' : ''}>
<div class="actions"><button type="submit">${t('login.submit')}</button></div>
<div class="actions single"><button type="submit" class="secondary" formaction="${input.cancelAction}" formnovalidate>${t('login.cancel')}</button></div>
</form>`,
  );
}
