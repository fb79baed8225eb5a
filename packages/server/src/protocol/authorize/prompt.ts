import { ConsentRequired, InvalidRequest, LoginRequired, type OAuthError } from '../errors.js';
import type { NextAuthorizationStep } from '../consent.js';

export type Prompt = 'none' | 'login' | 'consent';

const PROMPTS: ReadonlySet<string> = new Set<Prompt>(['none', 'login', 'consent']);

/** OIDC Core §3.1.2.1 `prompt`: one of none, login, consent (combinations are not supported). */
export function checkPrompt(prompt: string | undefined): Prompt | undefined {
  if (prompt === undefined || prompt === '') return undefined;
  if (!PROMPTS.has(prompt)) throw new InvalidRequest('unsupported prompt value');
  return prompt as Prompt;
}

/**
 * With prompt=none no page may be shown: a step that needs the person becomes an error
 * redirected to the client (login_required / consent_required); undefined when none is needed.
 */
export function promptNoneError(step: NextAuthorizationStep): OAuthError | undefined {
  if (step === 'login') return new LoginRequired('the person is not signed in');
  if (step === 'consent') return new ConsentRequired('the person has not granted these scopes');
  return undefined;
}
