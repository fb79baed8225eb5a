// In-memory versions of the sign-in flow's ports (sessions, pending authorizations, consents,
// users, clients, scope catalogue, login failures) with the semantics of the SQL repositories,
// and a ready SignInFlowDeps over them. Test-only: the build excludes protocol/testing/.
import type { SignInFlowDeps } from '../authorize/flow.js';
import { BUILT_IN_SCOPES } from '../built-in-scopes.js';
import type { Client, PendingAuthorization, Session, User } from '../model.js';
import type { ConsentStore, PendingAuthorizationStore, SessionStore } from '../ports.js';
import type { SignInDeps } from '../sign-in.js';
import { createCodeStore, createRecordingRandom, createTestClock } from './fakes.js';

export function createSessionStore(): SessionStore & { records: Map<string, Session & { tenantId: string }> } {
  const records = new Map<string, Session & { tenantId: string }>();
  return {
    records,
    async insert(idHash, session) {
      records.set(idHash, { id: idHash, ...session });
    },
    async findActive(idHash, realmId, now) {
      const record = records.get(idHash);
      if (!record || record.realmId !== realmId || record.expiresAt <= now) return undefined;
      const { tenantId: _tenantId, ...session } = record;
      return session;
    },
    async delete(idHash) {
      records.delete(idHash);
    },
  };
}

export function createPendingStore(): PendingAuthorizationStore & {
  records: Map<string, PendingAuthorization & { completedAt: number | null }>;
} {
  const records = new Map<string, PendingAuthorization & { completedAt: number | null }>();
  return {
    records,
    async insert(pending) {
      records.set(pending.id, { ...pending, completedAt: null });
    },
    async findOpen(id, realmId, now) {
      const record = records.get(id);
      if (!record || record.realmId !== realmId || record.completedAt !== null || record.expiresAt <= now)
        return undefined;
      const { completedAt: _completedAt, ...pending } = record;
      return pending;
    },
    async attachUser(id, userId) {
      const record = records.get(id);
      if (record) records.set(id, { ...record, userId });
    },
    async complete(id, now) {
      const record = records.get(id);
      if (!record || record.completedAt !== null) return false;
      records.set(id, { ...record, completedAt: now });
      return true;
    },
  };
}

export function createConsentStore(): ConsentStore & { grants: Map<string, string[]> } {
  const grants = new Map<string, string[]>();
  return {
    grants,
    async grantedScopes(userId, clientId) {
      return grants.get(`${userId}|${clientId}`) ?? [];
    },
    async grant(input) {
      const key = `${input.userId}|${input.clientId}`;
      grants.set(key, [...new Set([...(grants.get(key) ?? []), ...input.scopes])]);
    },
  };
}

/** The same windowing and all-or-nothing reservation as LoginFailureRepository, in memory. */
export function createLoginFailureStore(): SignInDeps['attempts'] & {
  records: Map<string, { failures: number; windowStart: number }>;
  peek(realmId: string, key: string): { failures: number; windowStart: number } | undefined;
} {
  const records = new Map<string, { failures: number; windowStart: number }>();
  const id = (realmId: string, key: string): string => `${realmId}\u0000${key}`;
  return {
    records,
    peek: (realmId, key) => records.get(id(realmId, key)),
    async get(realmId, key) {
      const record = records.get(id(realmId, key));
      return record && { ...record };
    },
    async reserve(realmId, plan, now, windowSeconds) {
      const live = (key: string) => {
        const record = records.get(id(realmId, key));
        return record && record.windowStart > now - windowSeconds ? record : undefined;
      };
      for (const { key, limit } of plan) {
        const record = live(key);
        if (record && record.failures >= limit)
          return { reserved: false, retryAfterSeconds: Math.max(1, record.windowStart + windowSeconds - now) };
      }
      const counts = plan.map(({ key }) => {
        const record = live(key);
        const next = record ? { ...record, failures: record.failures + 1 } : { failures: 1, windowStart: now };
        records.set(id(realmId, key), next);
        return next.failures;
      });
      return { reserved: true, counts };
    },
    async settle(realmId, cleared, released) {
      records.delete(id(realmId, cleared));
      for (const key of released) {
        const record = records.get(id(realmId, key));
        if (record && record.failures > 0) records.set(id(realmId, key), { ...record, failures: record.failures - 1 });
      }
    },
  };
}

/** Passwords in these tests are stored as `hash:<password>`. */
export function fakePasswordHash(password: string): string {
  return `hash:${password}`;
}

export type FakeSignInFlow = ReturnType<typeof createSignInFlow>;

/**
 * A SignInFlowDeps over in-memory stores holding `clients` and `users`, with scope descriptions
 * `scopeCatalogue` per tenant, a test clock and a recording random (`random-1`, `random-2`, …).
 */
export function createSignInFlow(input: {
  clients: Client[];
  users: User[];
  scopeCatalogue?: Record<string, { name: string; description: string }[]>;
}) {
  const sessions = createSessionStore();
  const pendingAuthorizations = createPendingStore();
  const consents = createConsentStore();
  const codes = createCodeStore();
  const loginFailures = createLoginFailureStore();
  const clock = createTestClock();
  const random = createRecordingRandom();
  const deps: SignInFlowDeps = {
    sessions,
    pendingAuthorizations,
    consents,
    users: {
      findById: async (tenantId, id) => input.users.find((user) => user.tenantId === tenantId && user.id === id),
      findByUsername: async (tenantId, actor, username) =>
        input.users.find((user) => user.tenantId === tenantId && user.actor === actor && user.username === username),
    },
    clients: { findById: async (clientId) => input.clients.find((client) => client.clientId === clientId) },
    scopes: { listScopes: async (tenantId) => input.scopeCatalogue?.[tenantId] ?? [] },
    codes,
    loginFailures,
    verifyPassword: async (hash, password) => hash === fakePasswordHash(password),
    dummyPasswordHash: async () => 'dummy',
    clock,
    random,
    builtInScopes: BUILT_IN_SCOPES,
    sessionTtlSeconds: 3_600,
    codeTtlSeconds: 60,
    pendingAuthorizationTtlSeconds: 600,
    signInLimits: {
      windowSeconds: 300,
      perUsernameAndAddress: 3,
      perUsername: 100,
      perAddress: 20,
      realmAlertFailures: 1000,
    },
  };
  return { deps, sessions, pendingAuthorizations, consents, codes, loginFailures, clock, random };
}
