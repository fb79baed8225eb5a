import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { chooseLocale, type Locale, type Translate, translator } from '../../i18n/index.js';
import type { TenantBranding } from '../../protocol/branding.js';
import type { Realm, Tenant } from '../../protocol/model.js';
import { pageDeps } from '../ports.js';

/**
 * What every page of a request shares: its language (issue 11: `ui_locales`, then
 * Accept-Language) and, inside a realm, the tenant's name and branding.
 */
export interface PageContext {
  readonly locale: Locale;
  readonly t: Translate;
  /** The line above each page's heading: tenant (or its display name) and realm. */
  readonly label: string;
  readonly branding: TenantBranding | undefined;
}

function acceptLanguage(request: FastifyRequest): string | undefined {
  const header = request.headers['accept-language'];
  return typeof header === 'string' ? header : undefined;
}

/** Pages outside any realm (root, 404, unexpected errors): language only, default look. */
export function serverPageContext(request: FastifyRequest, uiLocales?: string): PageContext {
  const locale = chooseLocale(uiLocales, acceptLanguage(request));
  return { locale, t: translator(locale), label: 'Gatehouse', branding: undefined };
}

/** Pages of a realm: the tenant's branding and the realm's label in the chosen language. */
export async function realmPageContext(
  ctx: AppContext,
  request: FastifyRequest,
  realm: Realm,
  tenant: Tenant,
  uiLocales?: string,
): Promise<PageContext> {
  const locale = chooseLocale(uiLocales, acceptLanguage(request));
  const t = translator(locale);
  const branding = await pageDeps(ctx).findBranding(tenant.id);
  const name = branding?.displayName ?? tenant.name;
  return { locale, t, label: t(realm.actor === 'user' ? 'realm.user' : 'realm.customer', { tenant: name }), branding };
}
