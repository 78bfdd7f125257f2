/** How a store's public pages look: its logo and accent colour (StoreSettings.logoUrl / accentColor). */
export interface Branding {
  logoUrl: string | null;
  accentColor: string | null;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

function isHttpsUrl(text: string): boolean {
  try {
    return text.length <= 2048 && new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Why a branding value cannot be used, or null (for the store settings API): the logo an https URL
 * (the page is served over https; an http image would be blocked or flagged), the colour "#rrggbb".
 */
export function brandingProblem(branding: Partial<Branding>): string | null {
  if (typeof branding.logoUrl === 'string' && !isHttpsUrl(branding.logoUrl))
    return 'logoUrl must be an https:// URL of at most 2,048 characters';
  if (typeof branding.accentColor === 'string' && !HEX_COLOUR.test(branding.accentColor))
    return 'accentColor must be a colour written #rrggbb, e.g. #0f766e';
  return null;
}
