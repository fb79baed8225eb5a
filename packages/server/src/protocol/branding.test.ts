import { describe, expect, it } from 'vitest';
import { checkBranding, contrastRatio, readableTextColor } from './branding.js';

describe('WCAG contrast (issue 11 branding)', () => {
  it('computes the WCAG 2.1 contrast ratio', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // The default accent on white.
    expect(contrastRatio('#2457d6', '#ffffff')).toBeCloseTo(6.2, 1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('picks white text on dark colours and black text on light ones', () => {
    expect(readableTextColor('#2457d6')).toBe('#ffffff');
    expect(readableTextColor('#0b6e4f')).toBe('#ffffff');
    expect(readableTextColor('#ff9900')).toBe('#000000');
    expect(readableTextColor('#e0e000')).toBe('#000000');
  });
});

describe('checkBranding', () => {
  it('accepts a display name, an https logo and a readable colour, lower-casing the colour', () => {
    expect(
      checkBranding({
        displayName: ' Acme Help ',
        logoUrl: 'https://cdn.acme.example/logo.svg',
        primaryColor: '#0B6E4F',
      }),
    ).toEqual({
      ok: true,
      branding: { displayName: 'Acme Help', logoUrl: 'https://cdn.acme.example/logo.svg', primaryColor: '#0b6e4f' },
    });
  });

  it('clears fields given as empty strings', () => {
    expect(checkBranding({ displayName: '', logoUrl: '', primaryColor: '' })).toEqual({ ok: true, branding: {} });
  });

  it.each([
    [{ logoUrl: 'http://cdn.acme.example/logo.png' }, 'logo_url'],
    [{ logoUrl: 'javascript:alert(1)' }, 'logo_url'],
    [{ logoUrl: 'https://user:pw@cdn.acme.example/logo.png' }, 'logo_url'],
    [{ primaryColor: 'red' }, 'primary_color'],
    [{ primaryColor: '#12345' }, 'primary_color'],
    [{ primaryColor: '#ffff00' }, 'primary_color'],
    [{ primaryColor: '#f0f0f0' }, 'primary_color'],
    [{ displayName: 'x'.repeat(121) }, 'display_name'],
  ] as const)('refuses %o (%s)', (input, field) => {
    const result = checkBranding(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.field).toBe(field);
  });

  it('explains an unreadable colour with its contrast ratio', () => {
    const result = checkBranding({ primaryColor: '#ffff00' });
    expect(result.ok ? '' : result.message).toContain('contrast 1.07:1, needs at least 3:1');
  });
});
