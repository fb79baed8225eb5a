import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { migrationProvider } from '../store/migrations/index.js';
import type { Database } from '../store/schema.js';

/** A readiness probe that takes longer than this fails: a load balancer must not hang on us. */
const CHECK_TIMEOUT_MS = 2_000;

export type ReadinessCheckName = 'database' | 'migrations' | 'signing_keys' | 'shutdown';

export interface Readiness {
  readonly ready: boolean;
  /** `ok`, or a short reason fit for an unauthenticated caller (no internals). */
  readonly checks: Partial<Record<ReadinessCheckName, string>>;
  /** The first failing check. */
  readonly failed?: ReadinessCheckName;
}

const draining = new WeakSet<FastifyInstance>();

/** From now on /readyz answers 503 `shutdown`, so load balancers stop sending new requests. */
export function markDraining(app: FastifyInstance): void {
  draining.add(app);
}

/**
 * Checks, in order and each cheap: the database answers `SELECT 1`; every migration this build
 * knows has been applied; every tenant has an active signing key (one query each).
 */
export async function checkReadiness(db: Kysely<Database>): Promise<Readiness> {
  const checks: Partial<Record<ReadinessCheckName, string>> = {};
  try {
    await withTimeout(sql`select 1`.execute(db));
    checks.database = 'ok';
  } catch {
    checks.database = 'unreachable';
    return { ready: false, checks, failed: 'database' };
  }
  try {
    const known = Object.keys(await migrationProvider.getMigrations());
    const applied = await withTimeout(sql<{ name: string }>`select name from kysely_migration`.execute(db));
    const names = new Set(applied.rows.map((row) => row.name));
    const pending = known.filter((name) => !names.has(name)).length;
    checks.migrations = pending === 0 ? 'ok' : `${pending} pending`;
  } catch {
    checks.migrations = 'not applied';
  }
  if (checks.migrations !== 'ok') return { ready: false, checks, failed: 'migrations' };
  try {
    const result = await withTimeout(
      db
        .selectFrom('tenants')
        .select((eb) => eb.fn.countAll<number | string>().as('missing'))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('signing_keys')
                .select('signing_keys.kid')
                .whereRef('signing_keys.tenant_id', '=', 'tenants.id')
                .where('signing_keys.retire_at', 'is', null),
            ),
          ),
        )
        .executeTakeFirstOrThrow(),
    );
    const missing = Number(result.missing);
    checks.signing_keys = missing === 0 ? 'ok' : `${missing} tenant(s) without an active signing key`;
  } catch {
    checks.signing_keys = 'unreadable';
  }
  if (checks.signing_keys !== 'ok') return { ready: false, checks, failed: 'signing_keys' };
  return { ready: true, checks };
}

/**
 * GET /healthz: the process is alive and serving (no dependency touched), for liveness probes.
 * GET /readyz: fit to take traffic (database, migrations, signing keys; not while shutting
 * down); 503 names the failing check. Both unauthenticated, never cached.
 */
export function registerHealthRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.get('/healthz', async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return { status: 'ok' };
  });
  app.get('/readyz', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const readiness: Readiness = draining.has(app)
      ? { ready: false, checks: { shutdown: 'in progress' }, failed: 'shutdown' }
      : await checkReadiness(db);
    if (readiness.ready) return { status: 'ready', checks: readiness.checks };
    request.log.warn({ failed: readiness.failed, checks: readiness.checks }, 'not ready');
    return reply.code(503).send({ status: 'not_ready', failed: readiness.failed, checks: readiness.checks });
  });
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
