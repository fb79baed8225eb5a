import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { problem, sendProblem } from '../admin/problem.js';
import { escapeHtml } from '../html.js';

/**
 * Serves the admin console (packages/console, built by Vite) at `{publicUrl}/admin/`. Every path
 * under /admin/ that is not a file of the build gets index.html, so the console's own routes
 * (`/admin/callback`, `/admin/tenants/T/clients`) survive a reload; `/admin/api/*` belongs to
 * the admin API and is never answered here.
 */

/**
 * Where the built console is: dist/console/ inside the server's own dist (copied there by the
 * console's build, so a packed @gatehouse/server carries it), else packages/console/dist of the
 * workspace (the same path from src/ in tests and from dist/).
 */
function defaultDistDir(): string {
  const packaged = fileURLToPath(new URL('../../console/', import.meta.url));
  if (existsSync(join(packaged, 'index.html'))) return packaged;
  return fileURLToPath(new URL('../../../../console/dist/', import.meta.url));
}

/**
 * The console runs no inline script or style: only its own bundled files, API calls to this
 * origin (the admin API and the GATEHOUSE-U realm's token endpoint), and it can never be framed.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every file under assets/ by its content hash, so they never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleRouteOptions {
  readonly publicUrl: string;
  /** Where the built console is. Default: the server's dist/console/, else packages/console/dist. */
  readonly distDir?: string;
}

export function registerConsoleRoutes(app: FastifyInstance, options: ConsoleRouteOptions): void {
  const distDir = normalize(options.distDir ?? defaultDistDir());
  const basePath = `${new URL(options.publicUrl).pathname.replace(/\/+$/, '')}/admin/`;

  app.get('/admin', (_request, reply) => reply.redirect(basePath, 308));

  app.get<{ Params: { '*': string } }>('/admin/*', async (request, reply) => {
    const path = request.params['*'];
    // The wildcard also matches GETs of /admin/api/* paths the admin API does not have: they get
    // the API's own problem+json 404, never the app.
    if (path === 'api' || path.startsWith('api/')) return sendProblem(reply, problem(404, 'no such resource'));
    const file = resolveInside(distDir, path);
    if (file && extname(file) !== '' && !file.endsWith('.html')) {
      const body = await readFile(file).catch(() => undefined);
      if (body) {
        reply.header('Cache-Control', path.startsWith('assets/') ? IMMUTABLE : 'no-cache');
        reply.header('X-Content-Type-Options', 'nosniff');
        return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(body);
      }
      // A missing file is a 404, never the app: a stale hashed asset must fail visibly.
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    }
    return sendIndex(reply, distDir, options.publicUrl, basePath);
  });
}

async function sendIndex(reply: FastifyReply, distDir: string, publicUrl: string, basePath: string) {
  reply.header('Content-Security-Policy', CONSOLE_CSP);
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Cache-Control', 'no-cache');
  const index = await readFile(join(distDir, 'index.html'), 'utf8').catch(() => undefined);
  if (index === undefined) {
    return reply
      .code(503)
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>' +
          '<body><h1>The console was not built</h1><p>Run <code>npm run build</code> (it builds packages/console) and reload.</p></body></html>',
      );
  }
  // The build uses relative asset URLs; <base> makes them resolve from any depth under /admin/,
  // and the meta tag tells the app the configured public URL (its realm's issuer starts with it).
  const head =
    `<base href="${escapeHtml(basePath)}">` + `<meta name="gatehouse-public-url" content="${escapeHtml(publicUrl)}">`;
  return reply.type('text/html; charset=utf-8').send(index.replace('<head>', `<head>${head}`));
}

/** The file `path` names inside `dir`, or undefined when it would escape it (`..`, absolute). */
function resolveInside(dir: string, path: string): string | undefined {
  if (path.includes('\0')) return undefined;
  const file = normalize(join(dir, path));
  const root = dir.endsWith(sep) ? dir : `${dir}${sep}`;
  return file.startsWith(root) ? file : undefined;
}
