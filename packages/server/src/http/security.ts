import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { PAGE_STYLES } from './pages/styles.js';

const STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLES).digest('base64')}'`;

/**
 * Headers for every HTML page. CSP allows nothing but our own inline stylesheet (by hash) and
 * form posts to ourselves and, where a form's answer redirects to the client, to the client's
 * redirect origin (browsers apply form-action to the redirect too). Pages can never be framed
 * (clickjacking on consent, RFC 9700 §4.16).
 */
export function setPageHeaders(reply: FastifyReply, formTargets: readonly string[] = []): void {
  const formAction = ["'self'", ...formTargets].join(' ');
  reply.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cache-Control', 'no-store');
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.type('text/html; charset=utf-8');
}

/** RFC 6749 §5.1: token responses must not be cached. */
export function setNoStore(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
  reply.header('Pragma', 'no-cache');
}

/**
 * CORS for token-style endpoints: the request's Origin is echoed only if allowed, never with
 * credentials (browser-based apps BCP §6: the SPA sends no cookies to the token endpoint).
 */
export function applyCors(reply: FastifyReply, origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  reply.header('Vary', 'Origin');
  if (!origin || !allowed.has(origin)) return false;
  reply.header('Access-Control-Allow-Origin', origin);
  return true;
}

export function applyPublicCors(reply: FastifyReply): void {
  reply.header('Access-Control-Allow-Origin', '*');
}
