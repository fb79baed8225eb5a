import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createClient } from '../../src/admin/clients.js';
import { createScope, createTenant } from '../../src/admin/tenants.js';
import { createUser } from '../../src/admin/users.js';
import { loadConfig, type GatehouseConfig } from '../../src/config.js';
import { buildApp, type BuildAppOptions } from '../../src/http/app.js';
import type { AppContext } from '../../src/context.js';
import type { Clock } from '../../src/protocol/ports.js';
import {
  createPostgresSchema,
  dropPostgresSchema,
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
} from '../../src/store/database.js';

/** PostgreSQL tests run when this is set (.ci/run sets it); SQLite tests always run. */
export const POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL;

export type DialectName = 'sqlite' | 'postgres';

/**
 * The dialect of this run, set per project by vitest.config.ts: with GATEHOUSE_TEST_POSTGRES_URL
 * the server's database suites run once as the "sqlite" project and once as "postgres".
 */
const PROJECT_DIALECT = process.env.GATEHOUSE_TEST_DIALECT as DialectName | undefined;

/** The dialect `useTestServer` and `createTestServer` use when none is named. */
export const DEFAULT_DIALECT: DialectName = PROJECT_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/**
 * The dialects a suite runs against in this run: the project's one when vitest.config.ts
 * runs the suites per dialect, else SQLite, saying plainly that PostgreSQL was left out.
 */
export function testDialects(suite: string): DialectName[] {
  if (PROJECT_DIALECT === 'sqlite' || PROJECT_DIALECT === 'postgres') return [PROJECT_DIALECT];
  if (POSTGRES_URL) return ['sqlite', 'postgres'];
  console.warn(`[gatehouse] GATEHOUSE_TEST_POSTGRES_URL is not set: "${suite}" ran on SQLite only, NOT on PostgreSQL.`);
  return ['sqlite'];
}

/** A fresh, migrated database: in-memory SQLite, or a throw-away schema in PostgreSQL. */
export async function openTestDatabase(
  dialect: DialectName,
): Promise<{ database: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const database = openDatabase(':memory:');
    await migrateToLatest(database.db);
    return { database, cleanup: () => database.close() };
  }
  if (!POSTGRES_URL) throw new Error('GATEHOUSE_TEST_POSTGRES_URL is not set');
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  await createPostgresSchema(POSTGRES_URL, schema);
  const database = openDatabase(POSTGRES_URL, { schema, poolSize: 25 });
  await migrateToLatest(database.db);
  return {
    database,
    cleanup: async () => {
      await database.close();
      await dropPostgresSchema(POSTGRES_URL, schema);
    },
  };
}

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(public now = 1_800_000_000) {}
  nowSeconds(): number {
    return this.now;
  }
  advance(seconds: number): void {
    this.now += seconds;
  }
}

export const TENANT = 'TMPRODB88619984';
export const SEED_CLIENT_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';
export const USER_ONLY_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
export const SKIP_CONSENT_CLIENT_ID = '22222222-3333-4444-8555-666666666666';
export const SEED_REDIRECT_URI = 'https://oauth.pstmn.io/v1/callback';
export const LOCAL_REDIRECT_URI = 'http://localhost:5173/callback';
export const SEED_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const SEED_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const SEED_SCOPE = 'core.aiservices.read core.aiservices.write';
export const SEED_STATE = 'a1b2c3d4e5f67890';
export const API_DOMAIN = 'https://api.example.test';
export const AGENT = { username: 'agent', password: 'agent-test-password' };
export const CUSTOMER = { username: 'customer', password: 'customer-test-password' };
export const PUBLIC_URL = 'http://localhost:8080';
export const ISSUER_U = `${PUBLIC_URL}/system/auth/${TENANT}-U`;
export const ISSUER_C = `${PUBLIC_URL}/system/auth/${TENANT}-C`;

export interface TestServer {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly clock: TestClock;
  readonly database: DatabaseHandle;
  readonly webClient: { clientId: string; secret: string };
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly dialect?: DialectName;
  readonly config?: Partial<Record<keyof GatehouseConfig, string | number>>;
  /** A database opened by the test itself (migrated), used instead of a fresh one. */
  readonly database?: { database: DatabaseHandle; cleanup: () => Promise<void> };
  /** Where the app logs (default: nowhere), e.g. a stream the test reads. */
  readonly logger?: BuildAppOptions['logger'];
}

/**
 * A Gatehouse app with the seed document's tenant, client and scopes, plus a user-only client,
 * a first-party client that skips consent, a confidential web client, one agent and one customer.
 */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { database, cleanup } = options.database ?? (await openTestDatabase(options.dialect ?? DEFAULT_DIALECT));
  const config = loadConfig({ database: ':memory:', publicUrl: PUBLIC_URL, ...options.config }, {});
  const clock = new TestClock();
  const { app, context } = await buildApp({ config, database, clock, logger: options.logger ?? false });
  await createTenant(context, { id: TENANT, name: 'Acme Support', apiDomain: API_DOMAIN });
  await createScope(context, {
    tenant: TENANT,
    name: 'core.aiservices.read',
    description: 'Read answers from the AI services',
  });
  await createScope(context, {
    tenant: TENANT,
    name: 'core.aiservices.write',
    description: 'Create and change AI content',
  });
  await createScope(context, { tenant: TENANT, name: 'core.aiservices.manage', description: 'Manage the AI services' });
  const common = {
    tenant: TENANT,
    platform: 'spa',
    redirectUris: [SEED_REDIRECT_URI, LOCAL_REDIRECT_URI],
    scopes: ['core.aiservices.read', 'core.aiservices.write'],
  };
  await createClient(context, { ...common, name: 'Seed SPA', resourceType: 'global', clientId: SEED_CLIENT_ID });
  await createClient(context, { ...common, name: 'Agent Desk', resourceType: 'user', clientId: USER_ONLY_CLIENT_ID });
  await createClient(context, {
    ...common,
    name: 'First Party',
    resourceType: 'global',
    clientId: SKIP_CONSENT_CLIENT_ID,
    consent: 'skip',
  });
  const web = await createClient(context, {
    ...common,
    name: 'Web Backend',
    platform: 'web',
    resourceType: 'global',
    redirectUris: ['https://backend.example.test/cb'],
  });
  await createUser(context, { tenant: TENANT, actor: 'user', ...AGENT, email: 'agent@example.test' });
  await createUser(context, { tenant: TENANT, actor: 'customer', ...CUSTOMER });
  await app.ready();
  return {
    app,
    context,
    clock,
    database,
    webClient: { clientId: web.client.clientId, secret: web.secret! },
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}

/**
 * Gives the tests of the file (or of the describe block it is called in) a test server from
 * createTestServer: a fresh one before each test (`'each'`) or one shared by all of them
 * (`'all'`), closed after. The returned object reads whichever server is current, so use it
 * inside tests and hooks only; hooks registered after this call run once the server is up.
 */
export function useTestServer(scope: 'all' | 'each', options: TestServerOptions = {}): Omit<TestServer, 'close'> {
  let current: TestServer | undefined;
  const [setUp, tearDown] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  setUp(async () => {
    current = await createTestServer(options);
  });
  tearDown(async () => {
    await current?.close();
    current = undefined;
  });
  const live = (): TestServer => {
    if (!current) throw new Error('the test server exists only inside tests and hooks');
    return current;
  };
  return {
    get app() {
      return live().app;
    },
    get context() {
      return live().context;
    },
    get clock() {
      return live().clock;
    },
    get database() {
      return live().database;
    },
    get webClient() {
      return live().webClient;
    },
  };
}

/** The seed document's example authorization request, as query parameters. */
export function seedAuthorizeParams(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const params: Record<string, string | undefined> = {
    client_id: SEED_CLIENT_ID,
    response_type: 'code',
    redirect_uri: SEED_REDIRECT_URI,
    scope: SEED_SCOPE,
    state: SEED_STATE,
    code_challenge: SEED_CHALLENGE,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
