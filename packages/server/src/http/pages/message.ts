import { html } from '../html.js';
import { layout } from './layout.js';
import type { PageContext } from './page-context.js';

/** A page that tells the person what went wrong when there is nowhere safe to send them. */
export function renderMessagePage(pc: PageContext, title: string, message: string): string {
  return layout(pc, title, html`<h1>${title}</h1><p>${message}</p>`);
}
