import { html } from '../html.js';
import { layout } from './layout.js';

export interface ConsentPageInput {
  readonly realmLabel: string;
  readonly clientName: string;
  readonly username: string;
  readonly scopes: readonly { name: string; description: string }[];
  readonly formAction: string;
  readonly requestId: string;
  readonly csrfToken: string;
}

/** The consent page. Contract: one form, submit buttons `decision` = `allow` | `deny`. */
export function renderConsentPage(input: ConsentPageInput): string {
  return layout(
    'Allow access?',
    input.realmLabel,
    html`<h1><strong>${input.clientName}</strong> wants to access your account</h1>
<p>Signed in as <strong>${input.username}</strong>. The application is asking to:</p>
<ul class="scopes">
${input.scopes.map((scope) => html`<li>${scope.description}<span class="name">${scope.name}</span></li>`)}
</ul>
<form method="post" action="${input.formAction}">
<input type="hidden" name="request" value="${input.requestId}">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
<div class="actions">
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
<button type="submit" name="decision" value="allow">Allow</button>
</div>
</form>
<p class="fine">Gatehouse remembers your answer, so this application will not ask again for the same access.</p>`,
  );
}
