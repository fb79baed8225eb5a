// A sign-in parked at the login page, as the tests of the sign-in flow's later steps start from
// it (hints, leaving the sign-in). Test-only: the build excludes protocol/testing/.
import { startAuthorization } from '../authorize/flow.js';
import { parseParameters } from '../parameters.js';
import type { RefreshFamilySelector } from '../ports.js';
import {
  formEncode,
  READ,
  SEED_CHALLENGE,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_USER,
  SEED_USER_REALM,
  seedClient,
} from './fakes.js';
import { createSignInFlow, fakePasswordHash } from './sign-in-fakes.js';

/** The browser-binding cookie of the parked request. */
export const PARKED_BROWSER = 'b'.repeat(43);
/** The person who can sign in: username alice, password `correct horse`. */
export const PARKED_ALICE = { ...SEED_USER, passwordHash: fakePasswordHash('correct horse') };

/** A parked request (id random-1, CSRF random-2) in PARKED_BROWSER, with a recording refresh-token revoker. */
export async function parkedSignIn(extra: Record<string, string> = {}) {
  const fake = createSignInFlow({ clients: [seedClient()], users: [PARKED_ALICE] });
  const revoked: RefreshFamilySelector[] = [];
  const deps = {
    ...fake.deps,
    refreshTokens: {
      revokeFamilies: async (selector: RefreshFamilySelector) => {
        revoked.push(selector);
        return 1;
      },
    },
  };
  const parameters = parseParameters(
    formEncode({
      client_id: SEED_CLIENT_ID,
      response_type: 'code',
      redirect_uri: SEED_REDIRECT_URI,
      scope: `openid ${READ}`,
      state: 'st-1',
      code_challenge: SEED_CHALLENGE,
      code_challenge_method: 'S256',
      ...extra,
    }),
  );
  const outcome = await startAuthorization(deps, {
    realm: SEED_USER_REALM,
    parameters,
    cookies: { session: undefined, browser: PARKED_BROWSER },
  });
  if (outcome.kind !== 'show_login') throw new Error(`expected the login page, got ${outcome.kind}`);
  return { fake, deps, revoked };
}

/** The fields of a form posted from the parked request's pages. */
export const parkedForm = (csrfToken = 'random-2', session?: string) => ({
  realm: SEED_USER_REALM,
  requestId: 'random-1',
  csrfToken,
  cookies: { session, browser: PARKED_BROWSER },
});
