import { html, SafeHtml } from '../html.js';
import type { PageContext } from './page-context.js';
import { PAGE_STYLES } from './styles.js';
import { themeStyles } from './theme.js';

/** The frame of every page: language, stylesheets (CSP-hashed), the tenant's logo and name. */
export function layout(pc: PageContext, title: string, body: SafeHtml): string {
  const theme = themeStyles(pc.branding);
  const logo = pc.branding?.logoUrl;
  return html`<!doctype html>
<html lang="${pc.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new SafeHtml(PAGE_STYLES)}</style>
${theme ? html`<style>${new SafeHtml(theme)}</style>` : ''}
</head>
<body>
<main>
<p class="brand">${logo ? html`<img class="logo" src="${logo}" alt="">` : ''}<span>${pc.label}</span></p>
${body}
</main>
</body>
</html>`.value;
}
