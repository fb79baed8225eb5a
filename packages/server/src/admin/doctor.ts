import type { AppContext } from '../context.js';
import { isSealed } from '../keys/key-encryption.js';
import { redirectUriRejection } from '../protocol/redirect-uri-policy.js';

/**
 * `gatehouse doctor`: audits a deployment against the rules of RFC 9700 (OAuth 2.0 Security
 * Best Current Practice) and OAuth 2.1, and says for each finding which rule it breaks and how
 * to fix it. Error-level findings make the command exit 1, so it can gate a deployment.
 */
export type FindingLevel = 'error' | 'warning' | 'notice';

export interface Finding {
  readonly id: string;
  readonly level: FindingLevel;
  readonly message: string;
  readonly rule: string;
  readonly fix: string;
}

export interface DoctorReport {
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
  readonly notices: number;
}

export interface DoctorOptions {
  /** Active signing keys older than this are reported, in days. Default 90. */
  readonly maxKeyAgeDays?: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const DAY_SECONDS = 86_400;

export async function runDoctor(ctx: AppContext, options: DoctorOptions = {}): Promise<DoctorReport> {
  const findings: Finding[] = [
    ...checkPublicUrl(ctx),
    ...checkDatabase(ctx),
    ...(await checkSigningKeys(ctx, options.maxKeyAgeDays ?? 90)),
    ...(await checkClientsAndScopes(ctx)),
  ];
  const count = (level: FindingLevel) => findings.filter((finding) => finding.level === level).length;
  return { findings, errors: count('error'), warnings: count('warning'), notices: count('notice') };
}

function checkPublicUrl(ctx: AppContext): Finding[] {
  const url = new URL(ctx.config.publicUrl);
  if (url.protocol === 'https:') return [];
  const local = LOCAL_HOSTS.has(url.hostname);
  const level: FindingLevel = local ? 'warning' : 'error';
  const findings: Finding[] = [
    {
      id: 'public-url-not-https',
      level,
      message: `the public URL ${ctx.config.publicUrl} is not https${local ? ' (fine on a developer machine only)' : ''}`,
      rule: 'OAuth 2.1 §1.5 and RFC 6749 §3.1: every endpoint that carries credentials, codes or tokens must use TLS; RFC 9700 §4.13 for TLS-terminating proxies',
      fix: 'serve Gatehouse over https (directly or behind a TLS-terminating proxy) and set --public-url / GATEHOUSE_PUBLIC_URL to the https URL',
    },
  ];
  // The cookies carry Secure exactly when the public URL is https (http/realm.ts cookiesSecure).
  if (!ctx.config.publicUrl.startsWith('https:'))
    findings.push({
      id: 'cookies-not-secure',
      level,
      message: 'session and browser-binding cookies are sent without the Secure attribute',
      rule: 'RFC 6265 §4.1.2.5 (Secure) and OAuth 2.1 §1.5 (TLS): the sign-in session cookie is a credential and travels over TLS only',
      fix: 'use an https public URL: Gatehouse marks its cookies Secure whenever the public URL is https',
    });
  return findings;
}

function checkDatabase(ctx: AppContext): Finding[] {
  const database = ctx.config.database;
  if (!/^postgres(ql)?:\/\//.test(database)) {
    if (ctx.config.sqliteSynchronous === 'FULL') return [];
    return [
      {
        id: 'sqlite-not-synchronous-full',
        level: 'warning',
        message: `SQLite runs with synchronous=${ctx.config.sqliteSynchronous}: the last commits may be lost on a power or OS failure`,
        rule: 'OAuth 2.1 §4.1.3 (a code is redeemed once) and RFC 9700 §4.14.2 (refresh-token rotation detects replay): a consumed code or rotated token that is forgotten after a crash can be used again',
        fix: 'unset GATEHOUSE_SQLITE_SYNCHRONOUS (default FULL) or set it to FULL',
      },
    ];
  }
  let url: URL;
  try {
    url = new URL(database);
  } catch {
    return [];
  }
  const host = url.hostname;
  const sslmode = url.searchParams.get('sslmode');
  const tls = ['require', 'verify-ca', 'verify-full'].includes(sslmode ?? '') || url.searchParams.get('ssl') === 'true';
  if (tls || host === '' || LOCAL_HOSTS.has(host) || host.startsWith('/')) return [];
  return [
    {
      id: 'postgres-without-tls',
      level: 'error',
      message: `PostgreSQL at ${host} is reached without TLS: password hashes, token hashes and signing keys cross the network in clear`,
      rule: 'OAuth 2.1 §1.5 and RFC 9700 §4.14 (refresh tokens and the keys that sign access tokens are credentials): credentials are only ever carried over TLS',
      fix: 'add sslmode=verify-full (with the server CA) to the postgres:// URL, or run the database on the same host',
    },
  ];
}

async function checkSigningKeys(ctx: AppContext, maxKeyAgeDays: number): Promise<Finding[]> {
  const keys = await ctx.repos.signingKeys.listStored();
  const findings: Finding[] = [];
  const inClear = keys.filter((key) => !isSealed(key.privateJwk));
  if (inClear.length > 0)
    findings.push({
      id: 'signing-keys-not-encrypted',
      level: 'warning',
      message: `${inClear.length} signing key(s) are stored unencrypted: a copy of the database is enough to sign tokens`,
      rule: 'NIST SP 800-57 Part 1 (private keys protected at rest) and RFC 9068 §4 (resource servers accept any token the key signs: a leaked key forges access tokens)',
      fix: 'make a key-encryption key (openssl rand -base64 32), keep it outside the database, and run gatehouse keys reencrypt --new-key-file PATH; then start with GATEHOUSE_KEY_ENCRYPTION_KEY_FILE=PATH',
    });
  const now = ctx.clock.nowSeconds();
  const old = keys.filter((key) => key.retireAt === null && now - key.createdAt > maxKeyAgeDays * DAY_SECONDS);
  for (const tenantId of new Set(old.map((key) => key.tenantId)))
    findings.push({
      id: 'signing-keys-old',
      level: 'warning',
      message: `tenant ${tenantId} signs with keys older than ${maxKeyAgeDays} days`,
      rule: 'NIST SP 800-57 Part 1 (limited cryptoperiods) and RFC 7517 §5 (key sets let clients follow a rotation): a key that signs for years exposes more tokens when it leaks',
      fix: `gatehouse keys rotate --tenant ${tenantId} (the old keys stay published until their tokens have expired)`,
    });
  return findings;
}

async function checkClientsAndScopes(ctx: AppContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const tenant of await ctx.repos.tenants.list()) {
    const clients = await ctx.repos.clients.listByTenant(tenant.id);
    for (const client of clients) {
      const unsafe = client.redirectUris.filter((uri) => uri.startsWith('http:') && redirectUriRejection(uri));
      if (unsafe.length > 0)
        findings.push({
          id: 'client-http-redirect-uri',
          level: 'error',
          message: `client ${client.clientId} (${client.name}, tenant ${tenant.id}) has non-loopback http redirect URIs: ${unsafe.join(', ')}`,
          rule: 'RFC 9700 §4.1 and §2.1, OAuth 2.1 §2.3.1: redirect URIs use https, plain http only to a loopback address (RFC 8252 §7.3); codes sent over http can be intercepted',
          fix: `register the https URIs instead (client create …) and disable this client: gatehouse client disable --tenant ${tenant.id} --client-id ${client.clientId}`,
        });
      if (client.refreshTokens.enabled && client.refreshTokens.graceSeconds > 0)
        findings.push({
          id: 'client-refresh-grace',
          level: 'warning',
          message: `client ${client.clientId} (${client.name}, tenant ${tenant.id}) lets a refresh token be reused for ${client.refreshTokens.graceSeconds} s after rotation`,
          rule: 'RFC 9700 §4.14.2 and OAuth 2.1 §4.3.1: refresh-token rotation detects a stolen token when it is used twice; a grace window hides that reuse',
          fix: 'recreate the client without --refresh-grace, unless the SPA really sends concurrent refreshes it cannot serialise',
        });
    }
    const held = new Set(clients.flatMap((client) => client.scopes));
    const unused = (await ctx.repos.tenants.listScopes(tenant.id)).filter((scope) => !held.has(scope.name));
    if (unused.length > 0)
      findings.push({
        id: 'scope-unused',
        level: 'notice',
        message: `tenant ${tenant.id} defines scopes no client holds: ${unused.map((scope) => scope.name).join(', ')}`,
        rule: 'RFC 9700 §2.3 (access-token privilege restriction): keep the scope catalogue to what clients need, so nothing grants more than it should by mistake',
        fix: 'give the scope to the client that needs it, or leave it unused knowingly',
      });
  }
  return findings;
}

/** The report as plain text: one block per finding, most severe first, then a summary line. */
export function formatDoctorReport(report: DoctorReport): string {
  const order: Record<FindingLevel, number> = { error: 0, warning: 1, notice: 2 };
  const blocks = [...report.findings]
    .sort((a, b) => order[a.level] - order[b.level])
    .map((finding) =>
      [
        `${finding.level.toUpperCase().padEnd(7)} ${finding.id}: ${finding.message}`,
        `        rule: ${finding.rule}`,
        `        fix:  ${finding.fix}`,
      ].join('\n'),
    );
  const summary = `doctor: ${report.errors} error(s), ${report.warnings} warning(s), ${report.notices} notice(s)`;
  return [...blocks, summary].join('\n\n');
}
