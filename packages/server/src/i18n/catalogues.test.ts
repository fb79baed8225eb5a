import { describe, expect, it } from 'vitest';
import { CATALOGUES, chooseLocale, translator } from './index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues (issue 11)', () => {
  it('every catalogue has exactly the English keys, each with the same placeholders and a non-empty text', () => {
    const reference = CATALOGUES.en;
    for (const [locale, messages] of Object.entries(CATALOGUES)) {
      expect(Object.keys(messages).sort(), locale).toEqual(Object.keys(reference).sort());
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(reference[key as keyof typeof reference]));
      }
    }
  });

  it('the German catalogue is a translation, not a copy of the English one', () => {
    const same = Object.keys(CATALOGUES.en).filter(
      (key) => CATALOGUES.de[key as keyof typeof CATALOGUES.de] === CATALOGUES.en[key as keyof typeof CATALOGUES.en],
    );
    // Only the product name is the same in both languages.
    expect(same).toEqual(['root.title', 'root.heading']);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('de');
    expect(t('consent.signed_in_as', { username: 'agent' })).toBe('Angemeldet als agent.');
    expect(t('consent.signed_in_as')).toBe('Angemeldet als {username}.');
  });
});

describe('chooseLocale: ui_locales, then Accept-Language, then English', () => {
  it.each([
    [undefined, undefined, 'en'],
    ['de', undefined, 'de'],
    ['de-CH', 'en', 'de'],
    ['fr de', 'en', 'de'],
    ['en', 'de', 'en'],
    ['fr', 'de-DE,de;q=0.9', 'de'],
    [undefined, 'fr-FR, de;q=0.8, en;q=0.5', 'de'],
    [undefined, 'en;q=0.2, de;q=0.9', 'de'],
    [undefined, 'de;q=0, en', 'en'],
    [undefined, '*', 'en'],
    ['toString', 'constructor', 'en'],
  ] as const)('ui_locales %s, Accept-Language %s -> %s', (uiLocales, acceptLanguage, expected) => {
    expect(chooseLocale(uiLocales, acceptLanguage)).toBe(expected);
  });
});
