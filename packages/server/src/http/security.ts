import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import type { PageContext } from './pages/page-context.js';
import { PAGE_STYLES } from './pages/styles.js';
import { themeStyles } from './pages/theme.js';

const styleHash = (css: string): string => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
const STYLE_HASH = styleHash(PAGE_STYLES);

/**
 * Headers for every HTML page. CSP allows nothing but our own inline stylesheets (by hash; the
 * tenant's theme has its own) and the tenant's logo, and form posts to ourselves and, where a
 * form's answer redirects to the client, to the client's redirect origin (browsers apply
 * form-action to the redirect too). Pages can never be framed (clickjacking on login and
 * consent, RFC 9700 §4.16); `prompt=none` answers are 303 redirects, never pages, so a hidden
 * iframe still receives them. `Content-Language` names the page's language (RFC 9110 §8.5).
 */
export function setPageHeaders(reply: FastifyReply, formTargets: readonly string[] = [], pc?: PageContext): void {
  const formAction = ["'self'", ...formTargets].join(' ');
  const theme = themeStyles(pc?.branding);
  const styles = [STYLE_HASH, ...(theme ? [styleHash(theme)] : [])].join(' ');
  const logo = pc?.branding?.logoUrl;
  const images = ["'self'", 'data:', ...(logo ? [new URL(logo).origin] : [])].join(' ');
  reply.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src ${styles}; img-src ${images}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cache-Control', 'no-store');
  reply.header('X-Content-Type-Options', 'nosniff');
  if (pc) reply.header('Content-Language', pc.locale);
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
