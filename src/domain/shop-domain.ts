/**
 * A Shopify shop's permanent domain, "<name>.myshopify.com", as Shopify names it in the
 * X-Shopify-Shop-Domain header. A custom domain (shop.example.com) is not accepted: Shopify
 * never sends it there, so a store that gave one would never receive a webhook.
 */
const MYSHOPIFY = /^[a-z0-9][a-z0-9-]{0,99}\.myshopify\.com$/;

/** The domain in its canonical form (lower case, no scheme or trailing slash), or null. */
export function normalizeShopDomain(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const domain = raw
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return MYSHOPIFY.test(domain) ? domain : null;
}
