import { describe, expect, it } from 'vitest';
import {
  identityKeyOf,
  identityKeys,
  keyString,
  normalizeCustomerId,
  normalizeEmail,
  resolveIdentity,
} from './identity.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Cart@Example.COM ')).toBe('cart@example.com');
    expect(normalizeEmail('first.last+tag@sub.example.co.in')).toBe('first.last+tag@sub.example.co.in');
  });

  it.each([
    'not-an-email',
    'a@b',
    '@example.com',
    'a@.',
    'a b@example.com',
    'a@@example.com',
    '',
    '   ',
    42,
    null,
    undefined,
    {},
  ])('refuses %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe('normalizeCustomerId', () => {
  it('keeps case, trims, and turns numbers into text', () => {
    expect(normalizeCustomerId(' Cust-ABC ')).toBe('Cust-ABC');
    expect(normalizeCustomerId('cust-abc')).toBe('cust-abc');
    expect(normalizeCustomerId(12345)).toBe('12345');
    expect(normalizeCustomerId(0)).toBe('0');
  });

  it.each(['', '   ', Number.NaN, Number.POSITIVE_INFINITY, true, null, undefined, {}, ['x']])('refuses %j', (raw) => {
    expect(normalizeCustomerId(raw)).toBeNull();
  });
});

describe('resolveIdentity', () => {
  it('normalizes every identifier and the name', () => {
    const result = resolveIdentity(
      { customerId: 'C-1', email: ' Shopper@Example.COM ', phone: '97111 66382', name: '  Asha  ' },
      'IN',
    );
    expect(result).toEqual({
      ok: true,
      identity: { customerId: 'C-1', email: 'shopper@example.com', phone: '+919711166382', name: 'Asha' },
      warnings: [],
    });
  });

  it("reads a local phone number with the store's country", () => {
    const inIndia = resolveIdentity({ phone: '2015550123' }, 'IN');
    const inUs = resolveIdentity({ phone: '2015550123' }, 'US');
    expect(inIndia.ok && inIndia.identity.phone).toBe('+912015550123');
    expect(inUs.ok && inUs.identity.phone).toBe('+12015550123');
  });

  it('drops a bad email with a warning when another identifier names the shopper', () => {
    const result = resolveIdentity({ customerId: 'C-1', email: 'not-an-email' }, 'IN');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.identity).toEqual({ customerId: 'C-1' });
    expect(result.warnings.map((w) => w.code)).toEqual(['INVALID_EMAIL']);
    expect(result.warnings[0]!.message).toContain('not-an-email');
  });

  it('drops a bad phone with a warning when another identifier names the shopper', () => {
    const result = resolveIdentity({ email: 'a@example.com', phone: '12345' }, 'IN');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.identity).toEqual({ email: 'a@example.com' });
    expect(result.warnings.map((w) => w.code)).toEqual(['INVALID_PHONE']);
  });

  it('warns about every identifier it drops, not only the first', () => {
    const result = resolveIdentity({ customerId: true, email: 'nope', phone: '12345', name: 'X' }, 'IN');
    // customerId true is refused, email and phone too: nothing is left, so the first reason rejects.
    expect(result).toMatchObject({ ok: false, code: 'INVALID_CUSTOMER_ID', field: 'customerId' });

    const kept = resolveIdentity({ customerId: 'C-1', email: 'nope', phone: '12345' }, 'IN');
    expect(kept.ok).toBe(true);
    if (!kept.ok) return;
    expect(kept.identity).toEqual({ customerId: 'C-1' });
    expect(kept.warnings.map((w) => w.code)).toEqual(['INVALID_EMAIL', 'INVALID_PHONE']);
  });

  it('warns INVALID_CUSTOMER_ID for a customer id of the wrong kind when an email remains', () => {
    const result = resolveIdentity({ customerId: { id: 1 }, email: 'a@example.com' }, 'IN');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.identity).toEqual({ email: 'a@example.com' });
    expect(result.warnings.map((w) => w.code)).toEqual(['INVALID_CUSTOMER_ID']);
  });

  it('rejects with the code of a bad identifier when it was the only one', () => {
    expect(resolveIdentity({ email: 'not-an-email' }, 'IN')).toMatchObject({
      ok: false,
      code: 'INVALID_EMAIL',
      field: 'email',
    });
    expect(resolveIdentity({ phone: '12345' }, 'IN')).toMatchObject({
      ok: false,
      code: 'INVALID_PHONE',
      field: 'phone',
    });
    expect(resolveIdentity({ customerId: false }, 'IN')).toMatchObject({
      ok: false,
      code: 'INVALID_CUSTOMER_ID',
      field: 'customerId',
    });
    const bad = resolveIdentity({ email: 'nope', phone: '12345' }, 'IN');
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_EMAIL' });
  });

  it('rejects NO_IDENTIFIER when nothing names the shopper; blanks and a name alone do not count', () => {
    for (const raw of [
      {},
      { name: 'Only A Name' },
      { customerId: '', email: '', phone: '' },
      { customerId: null, email: null, phone: undefined },
    ]) {
      expect(resolveIdentity(raw, 'IN')).toMatchObject({ ok: false, code: 'NO_IDENTIFIER', field: null });
    }
  });

  it('ignores a name that is not text or blank', () => {
    const result = resolveIdentity({ customerId: 'C-1', name: '   ' }, 'IN');
    expect(result.ok && result.identity).toEqual({ customerId: 'C-1' });
    const numeric = resolveIdentity({ customerId: 'C-1', name: 42 }, 'IN');
    expect(numeric.ok && numeric.identity).toEqual({ customerId: 'C-1' });
  });
});

describe('identityKeys', () => {
  it('lists customer id, email and phone as lookup keys, never the name', () => {
    const keys = identityKeys({ customerId: 'C-1', email: 'a@example.com', phone: '+919711166382', name: 'Asha' });
    expect(keys.map(keyString)).toEqual(['customer_id:C-1', 'email:a@example.com', 'phone:+919711166382']);
    expect(identityKeys({ phone: '+919711166382' }).map(keyString)).toEqual(['phone:+919711166382']);
  });
});

describe('identityKeyOf', () => {
  it('takes the first identifier given, normalised as events store it', () => {
    expect(identityKeyOf({ customer_id: ' C1 ', email: 'a@b.co' }, 'IN')).toEqual({ kind: 'customer_id', value: 'C1' });
    expect(identityKeyOf({ customer_id: 42 }, 'IN')).toEqual({ kind: 'customer_id', value: '42' });
    expect(identityKeyOf({ email: ' Ann@Shop.Example ' }, 'IN')).toEqual({ kind: 'email', value: 'ann@shop.example' });
    expect(identityKeyOf({ phone: '98765 43210' }, 'IN')).toEqual({ kind: 'phone', value: '+919876543210' });
    expect(identityKeyOf({ psid: '123' }, 'IN')).toEqual({ kind: 'psid', value: '123' });
    expect(identityKeyOf({ anonymous_id: 'anon-1' }, 'IN')).toEqual({ kind: 'anonymous_id', value: 'anon-1' });
  });

  it('says which identifier was malformed, and null when none is named', () => {
    expect(identityKeyOf({ email: 'not-an-address' }, 'IN')).toEqual({ kind: 'email', value: null });
    expect(identityKeyOf({ phone: '12' }, 'IN')).toEqual({ kind: 'phone', value: null });
    expect(identityKeyOf({ customer_id: '   ' }, 'IN')).toEqual({ kind: 'customer_id', value: null });
    expect(identityKeyOf({}, 'IN')).toBeNull();
  });
});
