import { readableTextColor, type TenantBranding } from '../../protocol/branding.js';

/**
 * The tenant's colours as a second stylesheet overriding the default custom properties. It is
 * inlined and allowed by its own CSP hash (computed from the same string), never a style
 * attribute. The colour was checked readable when it was set (protocol/branding.ts).
 */
export function themeStyles(branding: TenantBranding | undefined): string | undefined {
  const color = branding?.primaryColor;
  if (!color) return undefined;
  return `:root{--accent:${color};--accent-ink:${readableTextColor(color)}}`;
}
