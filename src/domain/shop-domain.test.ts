import { describe, expect, it } from 'vitest';
import { normalizeShopDomain } from './shop-domain.js';

describe('normalizeShopDomain', () => {
  it('takes a myshopify.com domain as an admin would paste it', () => {
    expect(normalizeShopDomain('jsmith.myshopify.com')).toBe('jsmith.myshopify.com');
    expect(normalizeShopDomain('  https://JSmith-2.myshopify.com/ ')).toBe('jsmith-2.myshopify.com');
  });

  it('refuses custom domains and anything that is not a shop domain', () => {
    for (const bad of [
      'shop.example.com',
      'myshopify.com',
      '.myshopify.com',
      'a.b.myshopify.com',
      'jsmith.myshopify.com.evil.com',
      '',
      42,
      null,
    ]) {
      expect(normalizeShopDomain(bad), String(bad)).toBeNull();
    }
  });
});
