import { describe, expect, it } from 'vitest';
import { matchPath } from './match.js';
import { safeNext } from './safe-next.js';

describe('matchPath', () => {
  it('matches a pattern and decodes its parameters', () => {
    expect(matchPath('/contacts/:contactId', '/contacts/ct_1')).toEqual({ contactId: 'ct_1' });
    expect(matchPath('/orders/:orderId', '/orders/A%2F7%20B')).toEqual({ orderId: 'A/7 B' });
    expect(matchPath('/contacts', '/contacts/')).toEqual({});
  });

  it('does not match other shapes or broken escapes', () => {
    expect(matchPath('/contacts/:contactId', '/contacts')).toBeNull();
    expect(matchPath('/contacts/:contactId', '/orders/1')).toBeNull();
    expect(matchPath('/contacts/:contactId', '/contacts/1/more')).toBeNull();
    expect(matchPath('/orders/:orderId', '/orders/%E0%A4')).toBeNull();
  });
});

describe('safeNext', () => {
  it('keeps a path of this site, with its query', () => {
    expect(safeNext('/stores/st_1/contacts?q=asha')).toBe('/stores/st_1/contacts?q=asha');
  });

  it('sends anything that could leave the site home', () => {
    for (const next of [
      null,
      '',
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ])
      expect(safeNext(next), String(next)).toBe('/');
  });

  it('never returns to the sign-in page itself', () => {
    expect(safeNext('/sign-in?error=link_expired')).toBe('/');
    expect(safeNext('/sign-in')).toBe('/');
  });
});
