import { html } from '../html.js';
import { layout } from './layout.js';

/** Asked when a sign-out request cannot prove it comes from the application (no id_token_hint). */
export function renderLogoutConfirmPage(input: {
  realmLabel: string;
  username: string;
  formAction: string;
  csrfToken: string;
  hidden: Record<string, string | undefined>;
}): string {
  return layout(
    'Sign out?',
    input.realmLabel,
    html`<h1>Sign out?</h1>
<p>You are signed in as <strong>${input.username}</strong>.</p>
<form method="post" action="${input.formAction}">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
${Object.entries(input.hidden)
  .filter((entry): entry is [string, string] => entry[1] !== undefined)
  .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="actions"><button type="submit" name="confirm" value="yes">Sign out</button></div>
</form>`,
  );
}

export function renderSignedOutPage(realmLabel: string): string {
  return layout('Signed out', realmLabel, html`<h1>You are signed out</h1><p>You can close this window.</p>`);
}
