/** Paths of the public pages Storewire serves; PUBLIC_URL in front makes the links it gives out. */
export const trackingPath = (token: string) => `/t/${token}`;

/** The order's hosted tracking page, or null for an order stored before it had one. */
export const trackingUrl = (publicUrl: string, token: string | null | undefined) =>
  token ? `${publicUrl}${trackingPath(token)}` : null;
