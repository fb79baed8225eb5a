import { html, SafeHtml } from '../html.js';
import { PAGE_STYLES } from './styles.js';

export function layout(title: string, realmLabel: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new SafeHtml(PAGE_STYLES)}</style>
</head>
<body>
<main>
<p class="brand">${realmLabel}</p>
${body}
</main>
</body>
</html>`.value;
}
