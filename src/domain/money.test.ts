import { describe, expect, it } from 'vitest';
import { currencyExponent, fromMinor, toMinor } from './money.js';

describe('toMinor: decimal text and numbers to exact minor units', () => {
  it.each([
    ['258.0', 25800],
    ['258', 25800],
    [258, 25800],
    [990, 99000],
    ['600.00', 60000],
    [11.99, 1199],
    ['11.99', 1199],
    [0.1, 10],
    [0.3, 30],
    [19.99, 1999],
    [1234567.89, 123456789],
    ['00012.50', 1250],
    ['.5', 50],
    ['5.', 500],
    ['+12.34', 1234],
    ['  42.1 ', 4210],
    [0, 0],
    ['0.00', 0],
  ])('%j -> %i', (value, minor) => {
    expect(toMinor(value)).toBe(minor);
  });

  it('keeps the sign of negative amounts (refunds, discounts)', () => {
    expect(toMinor('-12.34')).toBe(-1234);
    expect(toMinor(-12.34)).toBe(-1234);
    expect(toMinor(-0.5, 'JPY')).toBe(-1);
  });

  it('never answers negative zero', () => {
    expect(Object.is(toMinor('-0'), 0)).toBe(true);
    expect(Object.is(toMinor('-0.001'), 0)).toBe(true);
  });

  it('rounds half away from zero when more digits are given than the currency has', () => {
    expect(toMinor('600.005', 'INR')).toBe(60001);
    expect(toMinor('600.0049', 'INR')).toBe(60000);
    expect(toMinor('-600.005', 'INR')).toBe(-60001);
    expect(toMinor('-600.004', 'INR')).toBe(-60000);
    expect(toMinor('0.995')).toBe(100);
    expect(toMinor('9.999')).toBe(1000);
    // A number is read as the shortest text that gives it back, so 1.005 is "1.005", not 1.00499999...
    expect(toMinor(1.005)).toBe(101);
    expect(toMinor(1.015)).toBe(102);
  });

  it('uses 0 decimals for JPY', () => {
    expect(toMinor('1000', 'JPY')).toBe(1000);
    expect(toMinor(1000, 'JPY')).toBe(1000);
    expect(toMinor('1.5', 'JPY')).toBe(2);
    expect(toMinor('2.5', 'JPY')).toBe(3);
    expect(toMinor('-2.5', 'JPY')).toBe(-3);
    expect(toMinor('2.4', 'jpy')).toBe(2);
  });

  it('uses 3 decimals for KWD', () => {
    expect(toMinor('1.234', 'KWD')).toBe(1234);
    expect(toMinor('1.2345', 'KWD')).toBe(1235);
    expect(toMinor('1.2344', 'KWD')).toBe(1234);
    expect(toMinor('1.9995', 'KWD')).toBe(2000);
    expect(toMinor(12, 'KWD')).toBe(12000);
  });

  it('uses 2 decimals when the currency is unknown or absent', () => {
    expect(toMinor('1.23', 'XYZ')).toBe(123);
    expect(toMinor('1.23', 'not a currency')).toBe(123);
    expect(toMinor('1.23', null)).toBe(123);
    expect(toMinor('1.23', '')).toBe(123);
  });

  it.each([
    '',
    ' ',
    '.',
    '-',
    '+',
    'abc',
    '12abc',
    '1,299.50',
    '1 000',
    '12.3.4',
    '1e3',
    '0x10',
    '--1',
    '99999999999999999999',
    '₹600',
  ])('refuses %j', (value) => {
    expect(toMinor(value)).toBeNull();
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, null, undefined, true, {}, ['1']])(
    'refuses %j',
    (value) => {
      expect(toMinor(value)).toBeNull();
    },
  );
});

describe('fromMinor', () => {
  it('gives major units as a JSON number', () => {
    expect(fromMinor(25800)).toBe(258);
    expect(fromMinor(1199)).toBe(11.99);
    expect(fromMinor(1)).toBe(0.01);
    expect(fromMinor(-1234)).toBe(-12.34);
    expect(fromMinor(0)).toBe(0);
    expect(fromMinor(null)).toBeNull();
  });

  it("follows the currency's decimals", () => {
    expect(fromMinor(1000, 'JPY')).toBe(1000);
    expect(fromMinor(1235, 'KWD')).toBe(1.235);
    expect(fromMinor(5, 'KWD')).toBe(0.005);
  });

  it('round-trips with toMinor', () => {
    for (const [text, currency] of [
      ['11.99', 'INR'],
      ['0.07', 'USD'],
      ['1.235', 'KWD'],
      ['1500', 'JPY'],
      ['-3.1', 'EUR'],
    ] as const) {
      expect(fromMinor(toMinor(text, currency), currency)).toBe(Number(text));
    }
  });
});

describe('currencyExponent', () => {
  it('knows the decimals of real currencies, case-insensitively', () => {
    expect(currencyExponent('INR')).toBe(2);
    expect(currencyExponent('usd')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent(undefined)).toBe(2);
  });
});
