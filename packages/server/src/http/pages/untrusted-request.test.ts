import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n/index.js';
import { UntrustedRedirect } from '../../protocol/errors.js';
import { untrustedRequestText } from './untrusted-request.js';

const AUTHORIZE = join(dirname(fileURLToPath(import.meta.url)), '../../protocol/authorize');

/** Every `new UntrustedRedirect('title', 'message')` in protocol/authorize, as written. */
function untrustedTexts(): { title: string; message: string }[] {
  return readdirSync(AUTHORIZE)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .flatMap((name) =>
      [
        ...readFileSync(join(AUTHORIZE, name), 'utf8').matchAll(
          /new UntrustedRedirect\(\s*'([^']+)',\s*'([^']+)',?\s*\)/g,
        ),
      ].map((m) => ({ title: m[1]!, message: m[2]! })),
    );
}

describe('the untrusted-request page in the page language (issue 11)', () => {
  it('has a German text for every refusal the protocol can state', () => {
    const texts = untrustedTexts();
    expect(texts.length).toBeGreaterThanOrEqual(6);
    const pc = { locale: 'de', t: translator('de'), label: 'x', branding: undefined } as const;
    for (const text of texts) {
      const shown = untrustedRequestText(pc, new UntrustedRedirect(text.title, text.message));
      expect(shown.title, text.title).not.toBe(text.title);
      expect(shown.message, text.message).not.toBe(text.message);
    }
  });

  it('keeps an unknown text as it is', () => {
    const pc = { locale: 'de', t: translator('de'), label: 'x', branding: undefined } as const;
    expect(untrustedRequestText(pc, new UntrustedRedirect('Something new', 'Not in a catalogue.'))).toEqual({
      title: 'Something new',
      message: 'Not in a catalogue.',
    });
  });
});
