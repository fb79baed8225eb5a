import type { Client } from './model.js';
import { scopesCovered } from './scope.js';

export type NextAuthorizationStep = 'login' | 'consent' | 'issue_code';

/**
 * What happens to a validated authorization request: sign in first, then ask for consent unless
 * the client is first-party (`skip`) or the person already granted every requested scope.
 * Every requested scope counts, the built-in OpenID ones included: none is consent-free, so a
 * later request for `profile` or `offline_access` asks again. `prompt=login` / `prompt=consent`
 * (OIDC Core §3.1.2.1) force the step even when it could be skipped.
 */
export function decideNextStep(input: {
  readonly signedIn: boolean;
  readonly client: Client;
  readonly requestedScopes: readonly string[];
  readonly grantedScopes: readonly string[];
  readonly forceLogin?: boolean;
  readonly forceConsent?: boolean;
}): NextAuthorizationStep {
  if (!input.signedIn || input.forceLogin) return 'login';
  if (input.client.consentMode === 'skip' && !input.forceConsent) return 'issue_code';
  if (!input.forceConsent && scopesCovered(input.requestedScopes, input.grantedScopes)) return 'issue_code';
  return 'consent';
}
