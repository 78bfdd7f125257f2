import { describe, expect, it } from 'vitest';
import { isKnownCountry, normalizePhone } from './phone.js';

describe('normalizePhone in an Indian store (IN)', () => {
  it.each([
    '9711166382',
    '09711166382',
    '97111 66382',
    '+919711166382',
    '+91 97111 66382',
    '+91-97111-66382',
    '(+91) 97111-66382',
    '919711166382',
    '91 97111 66382',
    '0091 97111 66382',
    '00919711166382',
    '  +91 97111 66382  ',
  ])('%j is +919711166382', (raw) => {
    expect(normalizePhone(raw, 'IN')).toBe('+919711166382');
  });

  it('takes numbers as well as text', () => {
    expect(normalizePhone(9711166382, 'IN')).toBe('+919711166382');
    expect(normalizePhone(919711166382, 'IN')).toBe('+919711166382');
  });

  it('recognizes foreign numbers written with their country code, with or without "+"', () => {
    expect(normalizePhone('+1 201-555-0123', 'IN')).toBe('+12015550123');
    expect(normalizePhone('380501234567', 'IN')).toBe('+380501234567');
    expect(normalizePhone('447911123456', 'IN')).toBe('+447911123456');
  });

  it('accepts the default country in lower case', () => {
    expect(normalizePhone('9711166382', 'in')).toBe('+919711166382');
  });
});

describe('normalizePhone in a US store', () => {
  it.each([
    '2015550123',
    '(201) 555-0123',
    '201-555-0123',
    '201.555.0123',
    '+1 (201) 555-0123',
    '1 201 555 0123',
    '12015550123',
    '001 201 555 0123',
  ])('%j is +12015550123', (raw) => {
    expect(normalizePhone(raw, 'US')).toBe('+12015550123');
  });

  it('reads "919711166382" and "380501234567" as Indian and Ukrainian numbers (country code without "+")', () => {
    expect(normalizePhone('919711166382', 'US')).toBe('+919711166382');
    expect(normalizePhone('380501234567', 'US')).toBe('+380501234567');
  });

  it('reads a "00" international prefix', () => {
    expect(normalizePhone('00447911123456', 'US')).toBe('+447911123456');
    expect(normalizePhone('00 380 50 123 4567', 'US')).toBe('+380501234567');
  });

  it('does not take a ten-digit Indian mobile for a US number', () => {
    expect(normalizePhone('9711166382', 'US')).toBeNull();
  });
});

describe('normalizePhone in a Ukrainian store (UA)', () => {
  it.each([
    '0501234567',
    '050 123 45 67',
    '(050) 123-45-67',
    '+380 50 123 4567',
    '380501234567',
    '+380501234567',
    '00380501234567',
  ])('%j is +380501234567', (raw) => {
    expect(normalizePhone(raw, 'UA')).toBe('+380501234567');
  });
});

describe('normalizePhone in a British store (GB)', () => {
  it.each(['07911 123456', '07911123456', '+44 7911 123456', '+44 (0)7911 123456', '447911123456', '0044 7911 123456'])(
    '%j is +447911123456',
    (raw) => {
      expect(normalizePhone(raw, 'GB')).toBe('+447911123456');
    },
  );

  it('reads landlines too', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
  });

  it('still recognizes an Indian number with its country code', () => {
    expect(normalizePhone('919711166382', 'GB')).toBe('+919711166382');
    expect(normalizePhone('9711166382', 'GB')).toBeNull();
  });
});

describe('normalizePhone refuses what is not a valid number', () => {
  it.each([
    '',
    '   ',
    'abc',
    'call me',
    '+',
    '12345',
    '+91 12345',
    '97111663821234',
    '+0 9711166382',
    '+999 123456789',
    '00000000000',
  ])('%j', (raw) => {
    expect(normalizePhone(raw, 'IN')).toBeNull();
    expect(normalizePhone(raw, 'US')).toBeNull();
  });

  it.each([null, undefined, 1.5, Number.NaN, {}, ['9711166382'], true])('%j', (raw) => {
    expect(normalizePhone(raw, 'IN')).toBeNull();
  });
});

describe('isKnownCountry', () => {
  it.each(['IN', 'US', 'UA', 'GB', 'in', 'Us'])('knows %s', (code) => {
    expect(isKnownCountry(code)).toBe(true);
  });

  it.each(['XX', 'ZZ', 'UK', 'EU', 'USA', 'IND', 'I', '', '91', 'I1', ' IN'])('does not know %j', (code) => {
    expect(isKnownCountry(code)).toBe(false);
  });
});
