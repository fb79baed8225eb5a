import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { markDraining } from '../../src/observability/health.js';
import { createTestServer, TENANT, useTestServer } from '../support/harness.js';

describe('GET /healthz and GET /readyz (issue 10)', () => {
  const server = useTestServer('each');

  it('/healthz answers 200 ok without touching a dependency, never cached', async () => {
    const response = await server.app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('/readyz answers 200 when the database answers, migrations are current and every tenant has a signing key', async () => {
    await server.context.keys.ensureKey(TENANT);
    const response = await server.app.inject('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', signing_keys: 'ok' },
    });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('/readyz answers 503 naming signing_keys when a tenant has no active key', async () => {
    await sql`delete from signing_keys`.execute(server.database.db);
    const response = await server.app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      failed: 'signing_keys',
      checks: { database: 'ok', migrations: 'ok', signing_keys: '1 tenant(s) without an active signing key' },
    });
  });

  it('/readyz answers 503 naming migrations when one is not applied', async () => {
    await sql`delete from kysely_migration where name = '0002-token-lifecycle'`.execute(server.database.db);
    const response = await server.app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      failed: 'migrations',
      checks: { database: 'ok', migrations: '1 pending' },
    });
  });

  it('/readyz answers 503 naming shutdown once the server is draining', async () => {
    markDraining(server.app);
    const response = await server.app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'not_ready', failed: 'shutdown', checks: { shutdown: 'in progress' } });
    expect((await server.app.inject('/healthz')).statusCode).toBe(200);
  });
});

describe('GET /readyz without a database', () => {
  it('answers 503 naming database, and /healthz still answers 200', async () => {
    const server = await createTestServer();
    try {
      await server.database.close();
      const response = await server.app.inject('/readyz');
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'not_ready', failed: 'database', checks: { database: 'unreachable' } });
      expect((await server.app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});
