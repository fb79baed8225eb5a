/**
 * Per-tenant branding of the person's pages (issue 11): a display name, a logo and a primary
 * colour. The colour must stay readable: buttons are drawn in it on a white card, so it needs
 * WCAG 2.1 non-text contrast (SC 1.4.11, 3:1) against white, and the button text is white or
 * black, whichever contrasts more (always at least 4.58:1, above SC 1.4.3's 4.5:1).
 */
export interface TenantBranding {
  readonly displayName?: string;
  /** https only: the pages load it, and an http image would be mixed content or trackable. */
  readonly logoUrl?: string;
  /** `#rrggbb`, lower-case. */
  readonly primaryColor?: string;
}

/** The page background the primary colour is drawn on (the card of every page). */
export const PAGE_BACKGROUND = '#ffffff';
/** WCAG 2.1 SC 1.4.11: user-interface components need 3:1 against what surrounds them. */
export const MIN_COLOR_CONTRAST = 3;
export const MAX_DISPLAY_NAME_LENGTH = 120;
export const MAX_LOGO_URL_LENGTH = 2048;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** WCAG 2.1 relative luminance of an sRGB `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number): number => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2.1 contrast ratio, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** White or black, whichever is more readable on `background`. */
export function readableTextColor(background: string): '#ffffff' | '#000000' {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#000000') ? '#ffffff' : '#000000';
}

export type BrandingCheck =
  | { readonly ok: true; readonly branding: TenantBranding }
  | { readonly ok: false; readonly field: 'display_name' | 'logo_url' | 'primary_color'; readonly message: string };

/**
 * Validates branding as an operator typed it; empty strings clear a field. Refuses rather than
 * silently adjusting a colour, so what the operator sees is what they set.
 */
export function checkBranding(input: {
  displayName?: string | undefined;
  logoUrl?: string | undefined;
  primaryColor?: string | undefined;
}): BrandingCheck {
  const displayName = input.displayName?.trim();
  if (displayName && displayName.length > MAX_DISPLAY_NAME_LENGTH)
    return {
      ok: false,
      field: 'display_name',
      message: `display name longer than ${MAX_DISPLAY_NAME_LENGTH} characters`,
    };
  const logoUrl = input.logoUrl?.trim();
  if (logoUrl && !isHttpsUrl(logoUrl))
    return { ok: false, field: 'logo_url', message: 'logo URL must be an absolute https:// URL' };
  const color = input.primaryColor?.trim();
  if (color && !HEX_COLOR.test(color))
    return { ok: false, field: 'primary_color', message: 'primary colour must be #RRGGBB, like #2457d6' };
  if (color && contrastRatio(color, PAGE_BACKGROUND) < MIN_COLOR_CONTRAST) {
    const ratio = contrastRatio(color, PAGE_BACKGROUND).toFixed(2);
    return {
      ok: false,
      field: 'primary_color',
      message: `primary colour ${color} is unreadable on the white page (contrast ${ratio}:1, needs at least ${MIN_COLOR_CONTRAST}:1); choose a darker colour`,
    };
  }
  return {
    ok: true,
    branding: {
      ...(displayName ? { displayName } : {}),
      ...(logoUrl ? { logoUrl } : {}),
      ...(color ? { primaryColor: color.toLowerCase() } : {}),
    },
  };
}

function isHttpsUrl(value: string): boolean {
  if (value.length > MAX_LOGO_URL_LENGTH) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
