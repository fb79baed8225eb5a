import { html } from '../html.js';
import { layout } from './layout.js';
import type { PageContext } from './page-context.js';

/** What answers at `/`: what this server is, and where developers read on (issue 11). */
export function renderRootPage(pc: PageContext): string {
  const { t } = pc;
  return layout(
    pc,
    t('root.title'),
    html`<h1>${t('root.heading')}</h1>
<p>${t('root.about')}</p>
<p>${t('root.developers')}</p>
<p><a href="https://openid.net/specs/openid-connect-discovery-1_0.html">OpenID Connect Discovery 1.0</a> · <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1">OAuth 2.1</a></p>
<p class="fine">${t('root.docs')}: docs/integrate-spa.md, docs/pages.md</p>`,
  );
}
