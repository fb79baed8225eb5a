import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { authorizeUrl, postForm, redirectParams, signInAndAllow, TestBrowser } from '../support/browser.js';
import {
  AGENT,
  createTestServer,
  ISSUER_U,
  POSTGRES_URL,
  SEED_CLIENT_ID,
  SEED_REDIRECT_URI,
  SEED_VERIFIER,
  seedAuthorizeParams,
  testDialects,
  type TestServer,
} from '../support/harness.js';

/**
 * The database going away (issue 12, found 8 and deliverable 2): the process lives on, requests
 * that need the database are answered 503 (`temporarily_unavailable` from the token endpoint, a
 * plain "try again" page from the pages) only while it is away, service resumes by itself, and
 * every token acknowledged before or during the outage still works after it.
 */
const PATH = new URL(ISSUER_U).pathname;
const PARAMS = seedAuthorizeParams({ scope: 'openid core.aiservices.read' });

interface Outcome {
  readonly at: number;
  readonly status: number;
  readonly kind: 'authorize' | 'token' | 'userinfo';
  readonly body: string;
}

/** Keeps a signed-in browser asking for codes and exchanging them, recording every answer. */
function startLoad(server: TestServer, browser: TestBrowser, accessToken: string, workers: number) {
  const outcomes: Outcome[] = [];
  const acknowledged: { accessToken: string; refreshToken: string }[] = [];
  let running = true;
  const record = (kind: Outcome['kind'], response: { statusCode: number; body: string }) =>
    outcomes.push({ at: Date.now(), status: response.statusCode, kind, body: response.body });
  const worker = async () => {
    while (running) {
      const authorize = await browser.get(authorizeUrl(ISSUER_U, PARAMS));
      record('authorize', authorize);
      if (authorize.statusCode === 303) {
        const code = redirectParams(authorize).get('code');
        if (code) {
          const token = await postForm(server.app, ISSUER_U, '/oauth2/token', {
            grant_type: 'authorization_code',
            code,
            redirect_uri: SEED_REDIRECT_URI,
            client_id: SEED_CLIENT_ID,
            code_verifier: SEED_VERIFIER,
          });
          record('token', token);
          if (token.statusCode === 200) {
            const body = token.json();
            acknowledged.push({ accessToken: body.access_token, refreshToken: body.refresh_token });
          }
        }
      }
      const userinfo = await server.app.inject({
        method: 'GET',
        url: `${PATH}/oauth2/userinfo`,
        headers: { authorization: `Bearer ${accessToken}` },
      });
      record('userinfo', userinfo);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return {
    outcomes,
    acknowledged,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function until(condition: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const dialect of testDialects('database outage')) {
  if (dialect === 'postgres') {
    describe('PostgreSQL outage under load [postgres]', () => {
      it('answers 503 only while the database is away, recovers within 5 s, and keeps every acknowledged token', async () => {
        // A role and schema of the test's own, so cutting "the database" touches no other test.
        const role = `gh_outage_${randomBytes(5).toString('hex')}`;
        const admin = new pg.Client({ connectionString: POSTGRES_URL });
        await admin.connect();
        await admin.query(`CREATE ROLE ${role} LOGIN`);
        await admin.query(`CREATE SCHEMA ${role} AUTHORIZATION ${role}`);
        const url = new URL(POSTGRES_URL!);
        url.username = role;
        // Cut idle connections are reported here instead of ending the process.
        const connectionErrors: Error[] = [];
        const database = openDatabase(url.toString(), {
          schema: role,
          poolSize: 10,
          applicationName: role,
          onConnectionError: (error) => connectionErrors.push(error),
        });
        await migrateToLatest(database.db);
        const server = await createTestServer({
          database: {
            database,
            cleanup: async () => {
              await database.close();
              await admin.query(`DROP SCHEMA ${role} CASCADE`);
              await admin.query(`DROP ROLE ${role}`);
              await admin.end();
            },
          },
        });
        try {
          const browser = new TestBrowser(server.app);
          const first = await signInAndAllow(browser, ISSUER_U, PARAMS, AGENT);
          const firstCode = redirectParams(first).get('code')!;
          const firstTokens = (
            await postForm(server.app, ISSUER_U, '/oauth2/token', {
              grant_type: 'authorization_code',
              code: firstCode,
              redirect_uri: SEED_REDIRECT_URI,
              client_id: SEED_CLIENT_ID,
              code_verifier: SEED_VERIFIER,
            })
          ).json();

          const load = startLoad(server, browser, firstTokens.access_token, 4);
          await until(() => load.acknowledged.length >= 10, 'tokens before the outage');

          // The outage: no new connections for the role, and every open one cut.
          await admin.query(`ALTER ROLE ${role} NOLOGIN`);
          const cutAt = Date.now();
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
          await until(
            () =>
              Date.now() - cutAt >= 1_000 && load.outcomes.filter((o) => o.at > cutAt && o.status === 503).length >= 20,
            '503 answers during the outage',
          );
          const backAt = Date.now();
          await admin.query(`ALTER ROLE ${role} LOGIN`);
          await until(
            () => load.outcomes.some((o) => o.at > backAt && o.status < 400 && o.kind === 'token'),
            'service to resume',
          );
          const resumedAt = load.outcomes.find((o) => o.at > backAt && o.status < 400 && o.kind === 'token')!.at;
          const acknowledgedAtResume = load.acknowledged.length;
          await until(() => load.acknowledged.length >= acknowledgedAtResume + 10, 'tokens after the outage');
          await load.stop();

          // Service resumed by itself within 5 s of the database's return.
          expect(resumedAt - backAt).toBeLessThan(5_000);
          // Nothing but 503 ever failed, and 503 only while the database was away.
          const failures = load.outcomes.filter((o) => o.status >= 500);
          expect(failures.filter((o) => o.status !== 503)).toEqual([]);
          expect(failures.filter((o) => o.at < cutAt || o.at > resumedAt)).toEqual([]);
          expect(failures.length).toBeGreaterThanOrEqual(20);
          for (const failure of failures) {
            if (failure.kind === 'authorize') expect(failure.body).toContain('Please try again');
            else expect(JSON.parse(failure.body)).toMatchObject({ error: 'temporarily_unavailable' });
          }

          // Every token acknowledged before, during and after the outage still works.
          const all = [
            { accessToken: firstTokens.access_token, refreshToken: firstTokens.refresh_token },
            ...load.acknowledged,
          ];
          for (const tokens of all) {
            const userinfo = await server.app.inject({
              method: 'GET',
              url: `${PATH}/oauth2/userinfo`,
              headers: { authorization: `Bearer ${tokens.accessToken}` },
            });
            expect(userinfo.statusCode).toBe(200);
            const refreshed = await postForm(server.app, ISSUER_U, '/oauth2/token', {
              grant_type: 'refresh_token',
              refresh_token: tokens.refreshToken,
              client_id: SEED_CLIENT_ID,
            });
            expect(refreshed.statusCode).toBe(200);
          }
        } finally {
          await admin.query(`ALTER ROLE ${role} LOGIN`).catch(() => {});
          await server.close();
        }
      }, 120_000);
    });
  } else {
    describe('SQLite busy beyond its timeout [sqlite]', () => {
      it('answers a write that cannot get the lock with 503 and a try-again page, then works once the lock is gone', async () => {
        const directory = await mkdtemp(join(tmpdir(), 'gh-busy-'));
        const file = join(directory, 'gatehouse.sqlite');
        const database = openDatabase(file);
        await migrateToLatest(database.db);
        const server = await createTestServer({
          database: { database, cleanup: async () => database.close() },
        });
        const blocker = new SqliteDatabase(file);
        try {
          blocker.exec('BEGIN IMMEDIATE');
          const browser = new TestBrowser(server.app);
          // authorize stores the pending request: a write, refused after busy_timeout.
          const blocked = await browser.get(authorizeUrl(ISSUER_U, PARAMS));
          expect(blocked.statusCode).toBe(503);
          expect(blocked.headers['retry-after']).toBe('5');
          expect(blocked.body).toContain('Please try again');
          blocker.exec('ROLLBACK');
          const after = await browser.get(authorizeUrl(ISSUER_U, PARAMS));
          expect(after.statusCode).toBe(303);
        } finally {
          blocker.close();
          await server.close();
          await rm(directory, { recursive: true, force: true });
        }
      }, 60_000);
    });
  }
}
