import { html } from '../html.js';
import { layout } from './layout.js';

export interface LoginPageInput {
  readonly realmLabel: string;
  readonly clientName: string;
  readonly formAction: string;
  readonly requestId: string;
  readonly csrfToken: string;
  readonly username?: string;
  readonly error?: string;
}

/** The sign-in page. Contract relied on by tests: one form, inputs `username` and `password`. */
export function renderLoginPage(input: LoginPageInput): string {
  return layout(
    'Sign in',
    input.realmLabel,
    html`<h1>Sign in</h1>
<p>to continue to <strong>${input.clientName}</strong></p>
${input.error ? html`<div class="alert" role="alert">${input.error}</div>` : ''}
<form method="post" action="${input.formAction}">
<input type="hidden" name="request" value="${input.requestId}">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${input.username ?? ''}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>
</form>`,
  );
}
