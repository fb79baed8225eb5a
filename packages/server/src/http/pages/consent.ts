import { html } from '../html.js';
import { layout } from './layout.js';
import type { PageContext } from './page-context.js';

export interface ConsentPageInput {
  readonly clientName: string;
  readonly username: string;
  readonly scopes: readonly { name: string; description: string }[];
  readonly formAction: string;
  /** "Not you?": signs out of the realm and shows the login page again for this request. */
  readonly switchAccountAction: string;
  readonly accountUrl: string;
  readonly requestId: string;
  readonly csrfToken: string;
}

/**
 * The consent page. Contract: one form, submit buttons `decision` = `allow` | `deny`, plus
 * "Not you?" (a submit button of the same form, `form` attribute, own `formaction`).
 */
export function renderConsentPage(pc: PageContext, input: ConsentPageInput): string {
  const { t } = pc;
  return layout(
    pc,
    t('consent.title'),
    html`<h1>${t('consent.heading', { client: input.clientName })}</h1>
<p>${t('consent.signed_in_as', { username: input.username })} <button type="submit" form="consent" class="link" formaction="${input.switchAccountAction}">${t('consent.not_you')}</button></p>
<p>${t('consent.asking_to')}</p>
<ul class="scopes">
${input.scopes.map((scope) => html`<li>${scope.description}<span class="name">${scope.name}</span></li>`)}
</ul>
<form id="consent" method="post" action="${input.formAction}">
<input type="hidden" name="request" value="${input.requestId}">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
<div class="actions">
<button type="submit" name="decision" value="deny" class="secondary">${t('consent.deny')}</button>
<button type="submit" name="decision" value="allow">${t('consent.allow')}</button>
</div>
</form>
<p class="fine">${t('consent.fine_print')} <a href="${input.accountUrl}">${t('account.title')}</a></p>`,
  );
}
