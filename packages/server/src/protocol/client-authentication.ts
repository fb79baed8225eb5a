import { InvalidClient, InvalidRequest } from './errors.js';
import { clientBelongsToRealm, type Client, type Realm } from './model.js';
import { single, type RawParameters } from './parameters.js';

export interface ClientCredentialsInput {
  readonly authorizationHeader: string | undefined;
  readonly parameters: RawParameters;
}

export interface ClientAuthenticationDeps {
  readonly findClient: (clientId: string) => Promise<Client | undefined>;
  /** Constant-time verification of a client secret against its stored argon2id hash. */
  readonly verifySecret: (hash: string, secret: string) => Promise<boolean>;
  /** Seconds since the epoch; needed to honour a rotated secret's overlap period. */
  readonly nowSeconds?: () => number;
}

export type ClientAuthenticationMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** invalid_client raised after the client used HTTP Basic: the response needs WWW-Authenticate. */
export class InvalidClientBasic extends InvalidClient {}

/**
 * Identifies and authenticates the client at the token endpoint (RFC 6749 §2.3, §3.2.1).
 * Public (`spa`) clients identify with `client_id` alone and must not send a secret;
 * confidential (`web`) clients authenticate with client_secret_basic or client_secret_post.
 * Using more than one method in one request is an error (RFC 6749 §2.3). A disabled client still
 * authenticates here; each grant then refuses it with invalid_grant.
 */
export async function authenticateClient(
  deps: ClientAuthenticationDeps,
  realm: Realm,
  input: ClientCredentialsInput,
): Promise<{ client: Client; method: ClientAuthenticationMethod }> {
  const basic = parseBasicCredentials(input.authorizationHeader);
  const bodyClientId = single(input.parameters, 'client_id');
  const bodySecret = single(input.parameters, 'client_secret');
  const Failure = basic ? InvalidClientBasic : InvalidClient;

  if (basic && bodySecret !== undefined) throw new InvalidRequest('use only one client authentication method');
  if (basic && bodyClientId !== undefined && bodyClientId !== basic.clientId) {
    throw new InvalidRequest('client_id does not match the authenticated client');
  }
  const clientId = basic?.clientId ?? bodyClientId;
  if (clientId === undefined || clientId === '') throw new InvalidRequest('missing required parameter client_id');

  const client = await deps.findClient(clientId);
  if (!client || !clientBelongsToRealm(client, realm))
    throw new Failure('client authentication failed', `unknown client ${clientId} in ${realm.id}`);

  const secret = basic?.secret ?? bodySecret;
  if (client.secretHash === null) {
    if (secret !== undefined) throw new Failure('client authentication failed', 'public client sent a secret');
    return { client, method: 'none' };
  }
  if (secret === undefined || secret === '')
    throw new Failure('client authentication failed', 'confidential client sent no secret');
  if (!(await verifyClientSecret(deps, client, secret)))
    throw new Failure('client authentication failed', 'wrong client secret');
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}

/** The current secret, or the replaced one while its rotation overlap lasts (RFC 9700 §2.5 rotation). */
async function verifyClientSecret(deps: ClientAuthenticationDeps, client: Client, secret: string): Promise<boolean> {
  if (await deps.verifySecret(client.secretHash as string, secret)) return true;
  const previous = client.previousSecret;
  if (!previous || deps.nowSeconds === undefined || deps.nowSeconds() >= previous.expiresAt) return false;
  return deps.verifySecret(previous.hash, secret);
}

/** RFC 6749 §2.3.1: client_id and secret are form-urlencoded before Base64 encoding. */
export function parseBasicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  // Other schemes (e.g. Bearer) are not client authentication here and are ignored.
  if (!header || !/^Basic /i.test(header)) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) throw new InvalidClientBasic('malformed Basic credentials');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClientBasic('malformed Basic credentials');
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new InvalidClientBasic('malformed Basic credentials');
  }
}
