import { de } from './de.js';
import { en, type MessageKey, type Messages } from './en.js';

/**
 * Message catalogues of the person's pages and the choice of language: OIDC Core §3.1.2.1
 * `ui_locales` first (the application's wish, in order), then the browser's `Accept-Language`
 * (RFC 9110 §12.5.4, by q-value), then English.
 */
export type Locale = 'en' | 'de';
export const DEFAULT_LOCALE: Locale = 'en';
export const CATALOGUES: Readonly<Record<Locale, Messages>> = { en, de };
export type { MessageKey, Messages };

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string>>) => string;

export function translator(locale: Locale): Translate {
  const messages = CATALOGUES[locale];
  return (key, params = {}) => messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

function supported(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split('-')[0]!;
  return Object.hasOwn(CATALOGUES, primary) ? (primary as Locale) : undefined;
}

/** Parses Accept-Language into tags by descending q-value (ties keep the header's order). */
function acceptLanguageTags(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((entry) => entry.tag);
}

export function chooseLocale(uiLocales: string | undefined, acceptLanguage: string | undefined): Locale {
  for (const tag of (uiLocales ?? '').split(' ')) {
    const locale = tag ? supported(tag) : undefined;
    if (locale) return locale;
  }
  for (const tag of acceptLanguageTags(acceptLanguage ?? '')) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
