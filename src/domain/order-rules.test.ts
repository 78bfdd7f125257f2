import { describe, expect, it } from 'vitest';
import { canMoveTo, itemsTotalMinor, mergeOrder, totalMismatch, type OrderState } from './order-rules.js';
import { ORDER_STATUSES, type OrderItem, type OrderStatus } from './store-event.js';

describe('canMoveTo', () => {
  // Rows: from; columns in ORDER_STATUSES order: ABANDONED_SHOPPING_CART, INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED.
  const MATRIX: Record<OrderStatus, [boolean, boolean, boolean, boolean, boolean]> = {
    ABANDONED_SHOPPING_CART: [true, true, true, true, true],
    INITIALIZED: [false, true, true, true, true],
    IN_PROGRESS: [false, false, true, true, true],
    DELIVERED: [false, false, false, true, false],
    CANCELLED: [false, false, false, false, true],
  };
  const cases = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to, i) => [from, to, MATRIX[from][i]] as const));

  it('covers every pair of statuses', () => {
    expect(cases).toHaveLength(25);
  });

  it.each(cases)('%s -> %s: %s', (from, to, allowed) => {
    expect(canMoveTo(from, to)).toBe(allowed);
  });
});

const item = (id: string, costMinor: number, quantity: number): OrderItem => ({
  externalItemId: id,
  name: `Item ${id}`,
  quantity,
  costMinor,
  url: `https://shop.example/p/${id}`,
  imageUrl: `https://shop.example/i/${id}.jpg`,
  extra: {},
});

const order = (overrides: Partial<OrderState> = {}): OrderState => ({
  status: 'INITIALIZED',
  totalMinor: 25800,
  currency: 'INR',
  orderedAt: Date.parse('2024-10-08T06:30:00Z'),
  items: [item('a', 25800, 1)],
  attributes: { paymentType: 'COD', shippingAddress: { city: 'Delhi' } },
  sourceUpdatedAt: null,
  ...overrides,
});

describe('mergeOrder', () => {
  it('moves the status forward without a warning', () => {
    const { state, warnings } = mergeOrder(order(), { status: 'IN_PROGRESS' });
    expect(state.status).toBe('IN_PROGRESS');
    expect(warnings).toEqual([]);
  });

  it('keeps the status and warns STATUS_NOT_CHANGED when the update would move it backwards', () => {
    const { state, warnings } = mergeOrder(order({ status: 'IN_PROGRESS' }), {
      status: 'INITIALIZED',
      totalCost: '300.00',
    });
    expect(state.status).toBe('IN_PROGRESS');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('STATUS_NOT_CHANGED');
    expect(warnings[0]!.message).toContain('IN_PROGRESS');
    expect(warnings[0]!.message).toContain('INITIALIZED');
    // The rest of the update still applies.
    expect(state.totalMinor).toBe(30000);
  });

  it.each([
    ['DELIVERED', 'CANCELLED'],
    ['CANCELLED', 'DELIVERED'],
    ['DELIVERED', 'IN_PROGRESS'],
    ['INITIALIZED', 'ABANDONED_SHOPPING_CART'],
  ] as const)('keeps %s when told %s', (from, to) => {
    const { state, warnings } = mergeOrder(order({ status: from }), { status: to });
    expect(state.status).toBe(from);
    expect(warnings.map((w) => w.code)).toEqual(['STATUS_NOT_CHANGED']);
  });

  it('says nothing when the status is repeated or absent', () => {
    expect(mergeOrder(order({ status: 'DELIVERED' }), { status: 'DELIVERED' }).warnings).toEqual([]);
    const { state, warnings } = mergeOrder(order({ status: 'DELIVERED' }), { totalCost: '1.00' });
    expect(state.status).toBe('DELIVERED');
    expect(warnings).toEqual([]);
  });

  it('replaces the fields it is given and keeps the others', () => {
    const current = order();
    const { costMinor: _, ...input } = item('b', 500, 2);
    const { state } = mergeOrder(current, { currency: 'USD', orderedAt: 1_000, items: [{ ...input, cost: '5.00' }] });
    expect(state).toEqual({ ...current, currency: 'USD', orderedAt: 1_000, items: [item('b', 500, 2)] });
  });

  it("ignores an update older than the source's last one (webhooks arrive out of order), with a warning", () => {
    const current = order({ status: 'IN_PROGRESS', sourceUpdatedAt: 2_000 });
    const stale = mergeOrder(current, { status: 'CANCELLED', sourceUpdatedAt: 1_000 });
    expect(stale.state).toEqual(current);
    expect(stale.warnings.map((w) => w.code)).toEqual(['STALE_UPDATE']);
    const newer = mergeOrder(current, { status: 'DELIVERED', sourceUpdatedAt: 3_000 });
    expect(newer.state).toMatchObject({ status: 'DELIVERED', sourceUpdatedAt: 3_000 });
    expect(newer.warnings).toEqual([]);
    // Without a source time (our own API), updates apply in arrival order and keep the last known one.
    expect(mergeOrder(current, { status: 'DELIVERED' }).state).toMatchObject({
      status: 'DELIVERED',
      sourceUpdatedAt: 2_000,
    });
  });

  it('keeps a total of zero and an empty item list when they are sent', () => {
    const { state } = mergeOrder(order(), { totalCost: 0, items: [] });
    expect(state.totalMinor).toBe(0);
    expect(state.items).toEqual([]);
  });

  it("reads an update's amounts in the currency of the order when the update names none", () => {
    const yen = order({ currency: 'JPY', totalMinor: 1200, items: [] });
    expect(mergeOrder(yen, { totalCost: '1800' }).state.totalMinor).toBe(1800);
    const dinar = order({ currency: 'KWD', totalMinor: 1500, items: [] });
    expect(mergeOrder(dinar, { totalCost: '2.5' }).state.totalMinor).toBe(2500);
  });

  it('merges attributes key by key, the update winning', () => {
    const { state } = mergeOrder(order(), { attributes: { paymentType: 'PREPAID', couponCode: 'DIWALI' } });
    expect(state.attributes).toEqual({
      paymentType: 'PREPAID',
      shippingAddress: { city: 'Delhi' },
      couponCode: 'DIWALI',
    });
  });

  it('does not change the order it was given', () => {
    const current = order();
    const before = structuredClone(current);
    mergeOrder(current, { status: 'IN_PROGRESS', attributes: { paymentType: 'PREPAID' }, items: [] });
    expect(current).toEqual(before);
  });
});

describe('totalMismatch', () => {
  it('is null when items times quantities add up to the total', () => {
    expect(
      totalMismatch(order({ totalMinor: 2 * 499 + 3 * 100, items: [item('a', 499, 2), item('b', 100, 3)] })),
    ).toBeNull();
    expect(itemsTotalMinor([item('a', 499, 2), item('b', 100, 3)])).toBe(1298);
  });

  it('is null for an order without items', () => {
    expect(totalMismatch(order({ items: [], totalMinor: 12345 }))).toBeNull();
  });

  it('warns ORDER_TOTAL_MISMATCH with both sums in major units (seed 003: item 990 vs totalCost 258)', () => {
    const warning = totalMismatch(order({ totalMinor: 25800, items: [item('a', 99000, 1)] }));
    expect(warning?.code).toBe('ORDER_TOTAL_MISMATCH');
    expect(warning?.message).toContain('990');
    expect(warning?.message).toContain('258');
  });

  it('counts quantities and is exact to the minor unit', () => {
    expect(totalMismatch(order({ totalMinor: 1199, items: [item('a', 1199, 2)] }))?.code).toBe('ORDER_TOTAL_MISMATCH');
    expect(totalMismatch(order({ totalMinor: 2399, items: [item('a', 1199, 2)] }))?.message).toMatch(/23\.98.*23\.99/);
  });

  it("writes the sums with the currency's decimals", () => {
    expect(totalMismatch(order({ currency: 'JPY', totalMinor: 1000, items: [item('a', 1500, 1)] }))?.message).toMatch(
      /1500.*1000/,
    );
  });
});
