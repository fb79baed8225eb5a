import { html } from '../html.js';
import { layout } from './layout.js';
import type { PageContext } from './page-context.js';

/** Asked when a sign-out request cannot prove it comes from the application (no id_token_hint). */
export function renderLogoutConfirmPage(
  pc: PageContext,
  input: {
    username: string;
    formAction: string;
    csrfToken: string;
    hidden: Record<string, string | undefined>;
  },
): string {
  const { t } = pc;
  return layout(
    pc,
    t('logout.title'),
    html`<h1>${t('logout.title')}</h1>
<p>${t('logout.signed_in_as', { username: input.username })}</p>
<form method="post" action="${input.formAction}">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
${Object.entries(input.hidden)
  .filter((entry): entry is [string, string] => entry[1] !== undefined)
  .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="actions"><button type="submit" name="confirm" value="yes">${t('logout.submit')}</button></div>
</form>`,
  );
}

export function renderSignedOutPage(pc: PageContext): string {
  const { t } = pc;
  return layout(pc, t('logout.done_title'), html`<h1>${t('logout.done_heading')}</h1><p>${t('logout.done')}</p>`);
}
