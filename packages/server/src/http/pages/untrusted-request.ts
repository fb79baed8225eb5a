import { CATALOGUES, type MessageKey } from '../../i18n/index.js';
import type { UntrustedRedirect } from '../../protocol/errors.js';
import type { PageContext } from './page-context.js';

/**
 * The words of an authorization request refused without a redirect (unknown client or
 * redirect_uri), in the page's language. The protocol states them in English; each English text
 * is the key's English catalogue entry, so a text changed in protocol/ without a catalogue entry
 * still shows (in English) and untrusted-request.test.ts names it.
 */
const BY_ENGLISH_TEXT: ReadonlyMap<string, MessageKey> = new Map(
  (Object.keys(CATALOGUES.en) as MessageKey[])
    .filter((key) => key.startsWith('untrusted.') || key === 'error.invalid_title')
    .map((key) => [CATALOGUES.en[key], key]),
);

export function untrustedRequestText(pc: PageContext, error: UntrustedRedirect): { title: string; message: string } {
  const translate = (text: string) => {
    const key = BY_ENGLISH_TEXT.get(text);
    return key ? pc.t(key) : text;
  };
  return { title: translate(error.title), message: translate(error.message) };
}
