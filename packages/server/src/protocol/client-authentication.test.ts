import { beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from '../lib/passwords.js';
import { parseParameters } from './parameters.js';
import { authenticateClient, InvalidClientBasic, parseBasicCredentials } from './client-authentication.js';
import { InvalidClient, InvalidRequest } from './errors.js';
import type { Client, Realm } from './model.js';
import { seedClient, SEED_TENANT, testRealm } from './testing/fakes.js';

const USER_REALM = testRealm(SEED_TENANT.id, 'user');
const CUSTOMER_REALM = testRealm(SEED_TENANT.id, 'customer');

const PUBLIC_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';
const CONFIDENTIAL_ID = '0c7f4a51-2b3e-4d6f-8a9b-1c2d3e4f5a6b';
const CUSTOMER_ONLY_ID = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const OTHER_TENANT_ID = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';
const DISABLED_PUBLIC_ID = '3d4e5f60-7182-4394-a5b6-c7d8e9f0a1b2';
const DISABLED_CONFIDENTIAL_ID = '6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c';
/** Characters that must be form-urlencoded in a Basic header (RFC 6749 §2.3.1). */
const SECRET = 's3cr3t:with+plus/slash and space%é';

let clients: Map<string, Client>;

beforeAll(async () => {
  const secretHash = await hashSecret(SECRET);
  // Public SPAs "App" of the seed tenant, unless the entry says otherwise.
  const app = (clientId: string, overrides: Partial<Client> = {}): Client =>
    seedClient({
      clientId,
      name: 'App',
      redirectUris: ['https://app.example.com/cb'],
      scopes: ['core.aiservices.read'],
      ...overrides,
    });
  clients = new Map<string, Client>([
    [PUBLIC_ID, app(PUBLIC_ID)],
    [CONFIDENTIAL_ID, app(CONFIDENTIAL_ID, { platform: 'web', secretHash })],
    [CUSTOMER_ONLY_ID, app(CUSTOMER_ONLY_ID, { resourceType: 'customer' })],
    [OTHER_TENANT_ID, app(OTHER_TENANT_ID, { tenantId: 'OTHERTENANT' })],
    [DISABLED_PUBLIC_ID, app(DISABLED_PUBLIC_ID, { disabled: true })],
    [DISABLED_CONFIDENTIAL_ID, app(DISABLED_CONFIDENTIAL_ID, { platform: 'web', secretHash, disabled: true })],
  ]);
});

const deps = {
  findClient: async (clientId: string) => clients.get(clientId),
  verifySecret,
};

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks before Base64. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`, 'utf8').toString('base64')}`;
}

function authenticate(form: string, authorizationHeader?: string, realm: Realm = USER_REALM) {
  return authenticateClient(deps, realm, { authorizationHeader, parameters: parseParameters(form) });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable('client authentication should have failed'),
    (error: unknown) => error as Error,
  );
}

async function expectInvalidClient(promise: Promise<unknown>, { basicUsed }: { basicUsed: boolean }): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidClient);
  expect(error instanceof InvalidClientBasic).toBe(basicUsed);
  expect(error).toMatchObject({ error: 'invalid_client', status: 401, message: 'client authentication failed' });
}

async function expectInvalidRequest(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidRequest);
  expect(error).toMatchObject({ error: 'invalid_request', status: 400, message });
}

describe('authenticateClient: public clients (token_endpoint_auth_method none)', () => {
  it('identifies a public client by client_id alone', async () => {
    const result = await authenticate(`client_id=${PUBLIC_ID}`);
    expect(result).toEqual({ client: clients.get(PUBLIC_ID), method: 'none' });
  });

  it('refuses a public client that sends a client_secret in the body', async () => {
    await expectInvalidClient(authenticate(`client_id=${PUBLIC_ID}&client_secret=anything`), { basicUsed: false });
  });

  it('refuses a public client that sends an empty client_secret in the body', async () => {
    await expectInvalidClient(authenticate(`client_id=${PUBLIC_ID}&client_secret=`), { basicUsed: false });
  });

  it('refuses a public client that authenticates with HTTP Basic, answering with the Basic variant', async () => {
    await expectInvalidClient(authenticate('', basic(PUBLIC_ID, 'anything')), { basicUsed: true });
  });

  it('ignores a Bearer Authorization header and identifies the client from the body', async () => {
    expect(await authenticate(`client_id=${PUBLIC_ID}`, 'Bearer some.access.token')).toEqual({
      client: clients.get(PUBLIC_ID),
      method: 'none',
    });
  });

  it('ignores an Authorization header of another scheme (Digest)', async () => {
    expect(await authenticate(`client_id=${PUBLIC_ID}`, 'Digest username="x"')).toEqual({
      client: clients.get(PUBLIC_ID),
      method: 'none',
    });
  });
});

describe('authenticateClient: confidential clients', () => {
  it('authenticates with client_secret_basic, the id and secret form-urlencoded before Base64', async () => {
    expect(await authenticate('', basic(CONFIDENTIAL_ID, SECRET))).toEqual({
      client: clients.get(CONFIDENTIAL_ID),
      method: 'client_secret_basic',
    });
  });

  it('accepts the Basic scheme name in any letter case', async () => {
    const header = basic(CONFIDENTIAL_ID, SECRET).replace(/^Basic/, 'bAsIc');
    expect(await authenticate('', header)).toEqual({
      client: clients.get(CONFIDENTIAL_ID),
      method: 'client_secret_basic',
    });
  });

  it('accepts a body client_id equal to the Basic client id', async () => {
    expect(await authenticate(`client_id=${CONFIDENTIAL_ID}`, basic(CONFIDENTIAL_ID, SECRET))).toEqual({
      client: clients.get(CONFIDENTIAL_ID),
      method: 'client_secret_basic',
    });
  });

  it('authenticates with client_secret_post', async () => {
    const form = new URLSearchParams({ client_id: CONFIDENTIAL_ID, client_secret: SECRET }).toString();
    expect(await authenticate(form)).toEqual({ client: clients.get(CONFIDENTIAL_ID), method: 'client_secret_post' });
  });

  it('refuses a Basic secret that was not form-urlencoded (a raw "+" decodes to a space)', async () => {
    const raw = `Basic ${Buffer.from(`${CONFIDENTIAL_ID}:${SECRET.replace(/%/g, '%25')}`, 'utf8').toString('base64')}`;
    await expectInvalidClient(authenticate('', raw), { basicUsed: true });
  });

  it('refuses a wrong secret sent with Basic with the Basic variant (needs WWW-Authenticate)', async () => {
    await expectInvalidClient(authenticate('', basic(CONFIDENTIAL_ID, 'wrong-secret')), { basicUsed: true });
  });

  it('refuses a wrong secret sent with client_secret_post with plain invalid_client', async () => {
    await expectInvalidClient(authenticate(`client_id=${CONFIDENTIAL_ID}&client_secret=wrong-secret`), {
      basicUsed: false,
    });
  });

  it('refuses a confidential client that sends no secret', async () => {
    await expectInvalidClient(authenticate(`client_id=${CONFIDENTIAL_ID}`), { basicUsed: false });
  });

  it('refuses a confidential client that sends an empty secret', async () => {
    await expectInvalidClient(authenticate(`client_id=${CONFIDENTIAL_ID}&client_secret=`), { basicUsed: false });
    await expectInvalidClient(authenticate('', basic(CONFIDENTIAL_ID, '')), { basicUsed: true });
  });

  it('refuses Basic and client_secret_post in one request with invalid_request (RFC 6749 §2.3)', async () => {
    await expectInvalidRequest(
      authenticate(`client_secret=${formEncode(SECRET)}`, basic(CONFIDENTIAL_ID, SECRET)),
      'use only one client authentication method',
    );
  });

  it('refuses a body client_id that differs from the Basic client id with invalid_request', async () => {
    await expectInvalidRequest(
      authenticate(`client_id=${PUBLIC_ID}`, basic(CONFIDENTIAL_ID, SECRET)),
      'client_id does not match the authenticated client',
    );
  });
});

describe('authenticateClient: identification', () => {
  it('refuses an unknown client_id with invalid_client', async () => {
    await expectInvalidClient(authenticate('client_id=00000000-0000-4000-8000-000000000000'), { basicUsed: false });
  });

  it('refuses an unknown client sent with Basic with the Basic variant', async () => {
    await expectInvalidClient(authenticate('', basic('00000000-0000-4000-8000-000000000000', SECRET)), {
      basicUsed: true,
    });
  });

  it('refuses a client of another tenant', async () => {
    await expectInvalidClient(authenticate(`client_id=${OTHER_TENANT_ID}`), { basicUsed: false });
  });

  it('refuses a customer-only client in the user realm and accepts it in the customer realm', async () => {
    await expectInvalidClient(authenticate(`client_id=${CUSTOMER_ONLY_ID}`), { basicUsed: false });
    expect(await authenticate(`client_id=${CUSTOMER_ONLY_ID}`, undefined, CUSTOMER_REALM)).toEqual({
      client: clients.get(CUSTOMER_ONLY_ID),
      method: 'none',
    });
  });

  it('requires client_id when there is no Basic header', async () => {
    await expectInvalidRequest(authenticate('grant_type=authorization_code'), 'missing required parameter client_id');
    await expectInvalidRequest(authenticate('client_id='), 'missing required parameter client_id');
  });

  it('refuses a repeated client_id with invalid_request', async () => {
    await expectInvalidRequest(
      authenticate(`client_id=${PUBLIC_ID}&client_id=${PUBLIC_ID}`),
      'parameter client_id was sent more than once',
    );
  });

  it('gives the same description for an unknown client and a wrong secret', async () => {
    const unknown = await rejection(authenticate('client_id=00000000-0000-4000-8000-000000000000&client_secret=x'));
    const wrong = await rejection(authenticate(`client_id=${CONFIDENTIAL_ID}&client_secret=x`));
    expect(unknown.message).toBe(wrong.message);
  });
});

describe('authenticateClient: disabled clients', () => {
  // The grants refuse a disabled client with invalid_grant (see grant-checks.ts); refusing it here
  // would answer invalid_client and make a confidential client believe its secret was wrong.
  it('still identifies a disabled public client, returning it with disabled: true', async () => {
    const result = await authenticate(`client_id=${DISABLED_PUBLIC_ID}`);
    expect(result).toEqual({ client: clients.get(DISABLED_PUBLIC_ID), method: 'none' });
    expect(result.client.disabled).toBe(true);
  });

  it('still authenticates a disabled confidential client with its secret', async () => {
    expect(await authenticate('', basic(DISABLED_CONFIDENTIAL_ID, SECRET))).toEqual({
      client: clients.get(DISABLED_CONFIDENTIAL_ID),
      method: 'client_secret_basic',
    });
  });

  it('still refuses a disabled confidential client with a wrong secret', async () => {
    await expectInvalidClient(authenticate('', basic(DISABLED_CONFIDENTIAL_ID, 'wrong-secret')), { basicUsed: true });
  });

  it('still refuses a disabled client in a realm it is not registered for', async () => {
    await expectInvalidClient(
      authenticate(`client_id=${DISABLED_PUBLIC_ID}`, undefined, {
        ...USER_REALM,
        id: 'OTHERTENANT-U',
        tenantId: 'OTHERTENANT',
      }),
      { basicUsed: false },
    );
  });
});

describe('parseBasicCredentials', () => {
  it('returns undefined without a header or for another scheme', () => {
    expect(parseBasicCredentials(undefined)).toBeUndefined();
    expect(parseBasicCredentials('')).toBeUndefined();
    expect(parseBasicCredentials('Bearer abc')).toBeUndefined();
  });

  it('form-urldecodes the client id and the secret; the secret may contain an encoded colon', () => {
    const header = `Basic ${Buffer.from('my+client%21:pa%3Ass+word%2B', 'utf8').toString('base64')}`;
    expect(parseBasicCredentials(header)).toEqual({ clientId: 'my client!', secret: 'pa:ss word+' });
  });

  it('splits at the first colon, so an unencoded colon stays in the secret', () => {
    expect(parseBasicCredentials(`Basic ${Buffer.from('id:a:b').toString('base64')}`)).toEqual({
      clientId: 'id',
      secret: 'a:b',
    });
  });

  it.each([
    ['characters outside Base64', 'Basic !!!!'],
    ['no credentials after the scheme', 'Basic '],
    ['credentials without a colon', `Basic ${Buffer.from('just-an-id').toString('base64')}`],
    ['a broken percent-encoding', `Basic ${Buffer.from('id:%zz').toString('base64')}`],
  ])('throws the Basic invalid_client for %s', (_label, header) => {
    expect(() => parseBasicCredentials(header)).toThrow(InvalidClientBasic);
  });
});
