import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, registerConsoleRoutes } from './console.js';

/** A stand-in for packages/console/dist: what `vite build` writes (issue 9). */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="./assets/index-abc123.js"></script></head><body><div id="app"></div></body></html>',
  );
  writeFileSync(join(dir, 'assets/index-abc123.js'), 'console.log("console")');
  writeFileSync(join(dir, 'assets/index-abc123.css'), 'body{}');
  return dir;
}

let app: FastifyInstance;
const dirs: string[] = [];

async function serve(publicUrl: string, distDir: string): Promise<FastifyInstance> {
  app = Fastify({ logger: false });
  registerConsoleRoutes(app, { publicUrl, distDir });
  await app.ready();
  return app;
}

afterEach(async () => {
  await app?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function built(): string {
  const dir = fakeBuild();
  dirs.push(dir);
  return dir;
}

describe('console route (/admin/)', () => {
  it('answers /admin/ with index.html under the strict CSP, with the <base> and public URL added', async () => {
    await serve('https://auth.example.com', built());
    const response = await app.inject('/admin/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("style-src 'self'");
    expect(CONSOLE_CSP).toContain("connect-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain(
      '<head><base href="/admin/"><meta name="gatehouse-public-url" content="https://auth.example.com">',
    );
  });

  it('answers the callback and deep links with index.html, so a reload keeps the view', async () => {
    await serve('https://auth.example.com', built());
    for (const path of ['/admin/callback?code=x&state=y', '/admin/tenants/ACME/clients', '/admin/audit']) {
      const response = await app.inject(path);
      expect(response.statusCode, path).toBe(200);
      expect(response.body, path).toContain('<div id="app">');
    }
  });

  it('redirects /admin to /admin/', async () => {
    await serve('https://auth.example.com', built());
    const response = await app.inject('/admin');
    expect(response.statusCode).toBe(308);
    expect(response.headers.location).toBe('/admin/');
  });

  it('serves hashed assets with immutable caching and their content type', async () => {
    await serve('https://auth.example.com', built());
    const script = await app.inject('/admin/assets/index-abc123.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe('console.log("console")');
    const style = await app.inject('/admin/assets/index-abc123.css');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a missing asset instead of the app', async () => {
    await serve('https://auth.example.com', built());
    const response = await app.inject('/admin/assets/index-old999.js');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('never serves a file outside the build (path traversal)', async () => {
    const dir = built();
    // A sibling of the build directory: what ../ would reach.
    const outside = `${basename(dir)}-secret.txt`;
    writeFileSync(join(dir, '..', outside), 'secret');
    try {
      await serve('https://auth.example.com', dir);
      for (const path of [`/admin/../${outside}`, `/admin/%2e%2e/${outside}`, `/admin/assets/..%2f..%2f${outside}`]) {
        const response = await app.inject(path);
        expect(response.body, path).not.toBe('secret');
      }
    } finally {
      rmSync(join(dir, '..', outside), { force: true });
    }
  });

  it('leaves /admin/api/* to the admin API: an unknown API path is its problem+json 404, not the app', async () => {
    await serve('https://auth.example.com', built());
    for (const path of ['/admin/api/v1/nothing-here', '/admin/api']) {
      const response = await app.inject(path);
      expect(response.statusCode, path).toBe(404);
      expect(response.headers['content-type'], path).toBe('application/problem+json; charset=utf-8');
      expect(response.json(), path).toMatchObject({ status: 404, title: 'Not found' });
    }
  });

  it('uses the public URL path as the base when Gatehouse is served under a prefix', async () => {
    await serve('https://example.com/auth', built());
    const response = await app.inject('/admin/');
    expect(response.body).toContain('<base href="/auth/admin/">');
  });

  it('answers 503 with a plain page saying the console was not built when dist is missing', async () => {
    await serve('https://auth.example.com', join(tmpdir(), 'gatehouse-console-missing-dist'));
    const response = await app.inject('/admin/');
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('The console was not built');
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });
});
