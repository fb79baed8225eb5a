import { InvalidRequest, OAuthError, UntrustedRedirect } from '../errors.js';
import type { AuthorizationRequest, Client, Realm } from '../model.js';
import { checkClient, checkClientIdParameter } from './client.js';
import { checkPkceChallenge } from './code-challenge.js';
import { checkPrompt, type Prompt } from './prompt.js';
import { first, rejectRepeatedParameters, single, type RawParameters } from '../parameters.js';
import { checkRedirectUri } from './redirect-uri.js';
import { checkResponseType } from './response-type.js';
import { checkLoginHint, checkMaxAge, checkUiLocales } from './sign-in-hints.js';
import { checkRequestedScopes } from './requested-scopes.js';

/** Parameters whose repetition is an error (RFC 6749 §3.1); unknown parameters are ignored. */
const KNOWN_PARAMETERS = [
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'response_mode',
  'login_hint',
  'max_age',
  'ui_locales',
] as const;

/**
 * The state to send back (RFC 6749 §4.1.2, §4.1.2.1): the one value the client sent. Given twice,
 * neither is known to be the client's (an attacker may have appended one), so none is echoed and
 * the request fails with invalid_request; an empty `state=` is no state (RFC 6749 §3.1:
 * parameters without a value are treated as omitted); a state no client could have meant
 * (control characters; RFC 6749 Appendix A.5 allows only VSCHAR) is not echoed either.
 * Issue 12, found 4.
 */
function echoableState(parameters: RawParameters): string | undefined {
  const values = parameters.get('state');
  if (values?.length !== 1) return undefined;
  const [state] = values;
  return state === '' || hasControlCharacters(state) ? undefined : state;
}

function hasControlCharacters(value: string | undefined): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
  return value !== undefined && /[\u0000-\u001f\u007f]/.test(value);
}

/** Where an authorization error goes: to the client (redirect) or to the person (page). */
export type AuthorizationRequestResult =
  | {
      readonly ok: true;
      readonly client: Client;
      readonly request: AuthorizationRequest;
      readonly prompt: Prompt | undefined;
      /** OIDC Core §3.1.2.1 `max_age` in seconds. */
      readonly maxAge: number | undefined;
    }
  | {
      readonly ok: false;
      readonly error: OAuthError;
      readonly redirectUri: string;
      readonly state: string | undefined;
    };

export interface ValidateAuthorizationRequestInput {
  readonly realm: Realm;
  readonly parameters: RawParameters;
  readonly findClient: (clientId: string) => Promise<Client | undefined>;
  readonly builtInScopes: ReadonlySet<string>;
}

/**
 * Validates an authorization request in the order RFC 6749 §4.1.2.1 demands: first what decides
 * whether we may redirect at all (client, redirect_uri; failures throw UntrustedRedirect for an
 * error page), then everything else, whose failures go back to the client.
 */
export async function validateAuthorizationRequest(
  input: ValidateAuthorizationRequestInput,
): Promise<AuthorizationRequestResult> {
  const { parameters, realm } = input;
  const clientId = checkClientIdParameter(parameters.get('client_id'));
  const client = checkClient(await input.findClient(clientId), realm);
  const redirectUri = checkRedirectUri(parameters.get('redirect_uri'), client);
  const state = echoableState(parameters);
  try {
    rejectRepeatedParameters(parameters, KNOWN_PARAMETERS);
    if (hasControlCharacters(first(parameters, 'state')) || hasControlCharacters(first(parameters, 'nonce')))
      throw new InvalidRequest('state and nonce must not contain control characters');
    checkResponseType(single(parameters, 'response_type'));
    const codeChallenge = checkPkceChallenge(
      single(parameters, 'code_challenge'),
      single(parameters, 'code_challenge_method'),
    );
    const scopes = checkRequestedScopes(single(parameters, 'scope'), client, input.builtInScopes);
    const nonce = single(parameters, 'nonce');
    const prompt = checkPrompt(single(parameters, 'prompt'));
    const maxAge = checkMaxAge(single(parameters, 'max_age'));
    const loginHint = checkLoginHint(single(parameters, 'login_hint'));
    const uiLocales = checkUiLocales(single(parameters, 'ui_locales'));
    return {
      ok: true,
      client,
      prompt,
      maxAge,
      request: {
        clientId,
        redirectUri,
        scopes,
        state,
        codeChallenge,
        codeChallengeMethod: 'S256',
        nonce: nonce === '' ? undefined : nonce,
        ...(loginHint ? { loginHint } : {}),
        ...(uiLocales ? { uiLocales } : {}),
      },
    };
  } catch (error) {
    if (error instanceof UntrustedRedirect) throw error;
    if (error instanceof OAuthError) return { ok: false, error, redirectUri, state };
    throw error;
  }
}
