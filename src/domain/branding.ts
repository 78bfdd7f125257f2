/** How a store's public pages look: its logo and accent colour (StoreSettings.logoUrl / accentColor). */
export interface Branding {
  logoUrl: string | null;
  accentColor: string | null;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** Why a branding value cannot be used, or null: the logo an https URL (the page is served over https), the colour "#rrggbb". */
export function brandingProblem(branding: Partial<Branding>): string | null {
  const { logoUrl, accentColor } = branding;
  if (logoUrl !== undefined && logoUrl !== null) {
    let url: URL | null = null;
    try {
      url = new URL(logoUrl);
    } catch {
      url = null;
    }
    if (!url || url.protocol !== 'https:' || logoUrl.length > 2048)
      return 'logoUrl must be an https:// URL of at most 2,048 characters';
  }
  if (accentColor !== undefined && accentColor !== null && !HEX_COLOUR.test(accentColor))
    return 'accentColor must be a colour written #rrggbb, e.g. #0f766e';
  return null;
}
