import { html } from '../html.js';
import { layout } from './layout.js';

/** A page that tells the person what went wrong when there is nowhere safe to send them. */
export function renderMessagePage(input: { realmLabel: string; title: string; message: string }): string {
  return layout(input.title, input.realmLabel, html`<h1>${input.title}</h1><p>${input.message}</p>`);
}
