import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/admin/demo.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { hiddenInput, obtainTokens, postForm, TestBrowser, authorizeUrl } from '../support/browser.js';
import { freePorts } from '../support/ports.js';
import { AGENT, ISSUER_U, SEED_CLIENT_ID, seedAuthorizeParams, useTestServer } from '../support/harness.js';

/** The current value of a counter or gauge sample with these labels (0 when absent). */
async function sample(
  registry: {
    getSingleMetric(
      name: string,
    ): { get(): Promise<{ values: { labels: object; value: number; metricName?: string }[] }> } | undefined;
  },
  name: string,
  labels: Record<string, string> = {},
  metricName = name,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find(
    (value) =>
      (value.metricName ?? name) === metricName &&
      Object.entries(labels).every(
        ([key, expected]) => String((value.labels as Record<string, unknown>)[key]) === expected,
      ),
  );
  return match?.value ?? 0;
}

describe('metrics counted during a flow (issue 10)', () => {
  const server = useTestServer('all');

  it('count tokens by grant type, sign-ins by outcome, lockouts, refresh-token reuse, revocations, requests and database latency', async () => {
    const { registry } = server.context.metrics;
    const tokens = await obtainTokens(server.app, ISSUER_U, seedAuthorizeParams(), AGENT);
    const refresh = (token: string) =>
      postForm(server.app, ISSUER_U, '/oauth2/token', {
        grant_type: 'refresh_token',
        refresh_token: token,
        client_id: SEED_CLIENT_ID,
      });
    const rotated = await refresh(tokens.refresh_token as string);
    expect(rotated.statusCode).toBe(200);
    const reused = await refresh(tokens.refresh_token as string);
    expect(reused.statusCode).toBe(400);
    const revoked = await postForm(server.app, ISSUER_U, '/oauth2/revoke', {
      token: rotated.json().refresh_token,
      client_id: SEED_CLIENT_ID,
    });
    expect(revoked.statusCode).toBe(200);

    // Five wrong passwords lock the username; the sixth attempt is refused as throttled.
    const browser = new TestBrowser(server.app);
    const loginPage = await browser.get(
      (await browser.get(authorizeUrl(ISSUER_U, seedAuthorizeParams()))).headers.location as string,
    );
    const form = {
      request: hiddenInput(loginPage.body, 'request'),
      csrf_token: hiddenInput(loginPage.body, 'csrf_token'),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      const failed = await browser.postForm(`${ISSUER_U}/login`, {
        ...form,
        username: 'nobody',
        password: `wrong-${attempt}`,
      });
      expect(failed.statusCode).toBe(401);
    }
    expect(
      (await browser.postForm(`${ISSUER_U}/login`, { ...form, username: 'nobody', password: 'x' })).statusCode,
    ).toBe(429);

    expect(await sample(registry, 'gatehouse_tokens_issued_total', { grant_type: 'authorization_code' })).toBe(1);
    expect(await sample(registry, 'gatehouse_tokens_issued_total', { grant_type: 'refresh_token' })).toBe(1);
    expect(await sample(registry, 'gatehouse_sign_ins_total', { outcome: 'success' })).toBe(1);
    expect(await sample(registry, 'gatehouse_sign_ins_total', { outcome: 'invalid_credentials' })).toBe(5);
    expect(await sample(registry, 'gatehouse_sign_ins_total', { outcome: 'throttled' })).toBe(1);
    expect(await sample(registry, 'gatehouse_lockouts_total')).toBe(1);
    expect(await sample(registry, 'gatehouse_refresh_token_reuse_total')).toBe(1);
    expect(await sample(registry, 'gatehouse_revocations_total')).toBe(1);
    const tokenRoute = { method: 'POST', route: '/system/auth/:realm/oauth2/token' };
    expect(await sample(registry, 'gatehouse_http_requests_total', { ...tokenRoute, status: '200' })).toBe(2);
    expect(await sample(registry, 'gatehouse_http_requests_total', { ...tokenRoute, status: '400' })).toBe(1);
    expect(
      await sample(
        registry,
        'gatehouse_http_request_duration_seconds',
        { ...tokenRoute, status: '200' },
        'gatehouse_http_request_duration_seconds_count',
      ),
    ).toBe(2);
    expect(
      await sample(registry, 'gatehouse_http_requests_total', {
        method: 'POST',
        route: '/system/auth/:realm/login',
        status: '401',
      }),
    ).toBe(5);
  });
});

describe('the management listener', () => {
  let running: RunningServer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-metrics-'));
    const [port, metricsPort] = await freePorts(2);
    running = await startServer(
      loadConfig(
        { port, metricsPort, database: join(dir, 'gatehouse.sqlite'), publicUrl: `http://127.0.0.1:${port}` },
        {},
      ),
      { seedDemo, logger: false },
    );
  });

  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves Prometheus text at /metrics on its own port, with database, process and event-loop metrics', async () => {
    const publicUrl = `http://127.0.0.1:${running.port}`;
    expect((await fetch(`${publicUrl}/readyz`)).status).toBe(200);
    const response = await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^gatehouse_http_requests_total\{method="GET",route="\/readyz",status="200"\} 1$/m);
    expect(text).toMatch(/^gatehouse_db_query_duration_seconds_count\{operation="select"\} [1-9]/m);
    expect(text).toMatch(/^gatehouse_db_commit_duration_seconds_count [1-9]/m);
    expect(text).toMatch(/^gatehouse_nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^gatehouse_process_resident_memory_bytes /m);
    expect(text).toMatch(/^# TYPE gatehouse_db_commit_batch_size histogram$/m);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(line.startsWith('gatehouse_')).toBe(true);
  });

  it('is never served on the public port', async () => {
    expect((await fetch(`http://127.0.0.1:${running.port}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${running.metricsPort}/other`)).status).toBe(404);
  });

  it('records commit batch sizes through the exported hook', async () => {
    running.metrics.observeCommitBatch(3);
    const text = await (await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`)).text();
    expect(text).toMatch(/^gatehouse_db_commit_batch_size_count 1$/m);
    expect(text).toMatch(/^gatehouse_db_commit_batch_size_sum 3$/m);
  });

  it('is off with metricsPort 0', async () => {
    const [port] = await freePorts(1);
    const off = await startServer(loadConfig({ port, metricsPort: 0, database: join(dir, 'off.sqlite') }, {}), {
      logger: false,
    });
    try {
      expect(off.metricsPort).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
