// Wires a fake authorization server, a test clock, and browser fakes to SDK clients. Test-only.
import { createGatehouseClient, type GatehouseClient } from '../client.js';
import type { DiscoveryClientOptions } from '../types.js';
import {
  fakeLocation,
  memoryStorage,
  testClock,
  type FakeLocation,
  type MemoryStorage,
  type TestClock,
} from './browser-fakes.js';
import {
  CLIENT_ID,
  REDIRECT_URI,
  startFakeAuthorizationServer,
  type FakeAuthorizationServer,
  type FakeServerOptions,
} from './fake-authorization-server.js';

export const SCOPE = 'core.aiservices.read core.aiservices.write';
/** SCOPE plus OpenID Connect. */
export const OPENID_SCOPE = `openid profile email ${SCOPE}`;

export interface Harness {
  server: FakeAuthorizationServer;
  clock: TestClock;
  /** The tab's sessionStorage (pending sign-ins) for clients made without their own. */
  storage: MemoryStorage;
  location: FakeLocation;
  /** A discovery-configured client; `overrides` replace any option. */
  newClient(overrides?: Partial<DiscoveryClientOptions>): Promise<GatehouseClient>;
  /** Runs a whole sign-in for `client` against the fake server. */
  signIn(client: GatehouseClient, scope?: string): Promise<void>;
}

export async function startHarness(serverOptions: Partial<FakeServerOptions> = {}): Promise<Harness> {
  const clock = testClock();
  const server = await startFakeAuthorizationServer({
    now: clock.now,
    revocationEndpoint: true,
    endSessionEndpoint: true,
    ...serverOptions,
  });
  const storage = memoryStorage();
  const location = fakeLocation();
  return {
    server,
    clock,
    storage,
    location,
    newClient: (overrides = {}) =>
      createGatehouseClient({
        issuer: server.issuer,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        scope: SCOPE,
        storage,
        location,
        locks: null,
        now: clock.now,
        ...overrides,
      }),
    async signIn(client, scope) {
      const callback = await server.authorize(await client.buildAuthorizeUrl(scope ? { scope } : {}));
      await client.handleRedirectCallback(callback);
    },
  };
}
