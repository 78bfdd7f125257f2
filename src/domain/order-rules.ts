import { fromMinor, toMinor } from './money.js';
import type { Amount, OrderFields, OrderItem, OrderStatus, Warning } from './store-event.js';

/**
 * Order statuses move forward only: a late or replayed event never takes an order back.
 * DELIVERED and CANCELLED are final; an abandoned cart can become a real order.
 */
const RANK: Record<OrderStatus, number> = {
  ABANDONED_SHOPPING_CART: 0,
  INITIALIZED: 1,
  IN_PROGRESS: 2,
  DELIVERED: 3,
  CANCELLED: 3,
};

export function canMoveTo(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to) return true;
  if (from === 'DELIVERED' || from === 'CANCELLED') return false;
  return RANK[to] > RANK[from];
}

/** Required parameters of seed 003's orderCreated, and of each item. */
export const ORDER_CREATE_REQUIRED = ['externalOrderId', 'totalCost', 'status', 'date'] as const;
export const ORDER_IDENTIFIER_CHOICES = 'externalCustomerId|email|phone';
export const ORDER_ITEM_REQUIRED = ['externalItemId', 'name', 'quantity', 'cost', 'url', 'imageUrl'] as const;

export interface OrderState {
  /** The source's own last-change time of the order, when it says (see OrderFields). */
  sourceUpdatedAt?: number | null;
  status: OrderStatus;
  totalMinor: number;
  currency: string | null;
  orderedAt: number;
  items: OrderItem[];
  attributes: Record<string, unknown>;
}

export interface MergeResult {
  state: OrderState;
  warnings: Warning[];
}

/** Amounts of an event in minor units of the currency the order ends up with. */
function amountsIn(fields: OrderFields, currency: string | null): { totalMinor?: number; items?: OrderItem[] } {
  const minor = (amount: Amount) => toMinor(amount, currency) ?? 0;
  return {
    ...(fields.totalCost !== undefined ? { totalMinor: minor(fields.totalCost) } : {}),
    ...(fields.items ? { items: fields.items.map(({ cost, ...item }) => ({ ...item, costMinor: minor(cost) })) } : {}),
  };
}

/** A new order from an event that has every field orderCreated requires. */
export function newOrderState(fields: OrderFields): OrderState {
  const currency = fields.currency ?? null;
  const amounts = amountsIn(fields, currency);
  return {
    sourceUpdatedAt: fields.sourceUpdatedAt ?? null,
    status: fields.status!,
    totalMinor: amounts.totalMinor!,
    currency,
    orderedAt: fields.orderedAt!,
    items: amounts.items ?? [],
    attributes: fields.attributes ?? {},
  };
}

/** Applies an update's fields to an order; the status only if it moves forward. */
export function mergeOrder(current: OrderState, fields: OrderFields): MergeResult {
  if (fields.sourceUpdatedAt !== undefined && (current.sourceUpdatedAt ?? -Infinity) > fields.sourceUpdatedAt) {
    return {
      state: current,
      warnings: [
        {
          code: 'STALE_UPDATE',
          message: 'the order already reflects a later change from its source; this older one changed nothing',
        },
      ],
    };
  }
  const warnings: Warning[] = [];
  let status = current.status;
  if (fields.status && fields.status !== current.status) {
    if (canMoveTo(current.status, fields.status)) status = fields.status;
    else {
      warnings.push({
        code: 'STATUS_NOT_CHANGED',
        message: `order is ${current.status}; ${fields.status} would move it backwards, so the status was kept`,
      });
    }
  }
  const currency = fields.currency ?? current.currency;
  const amounts = amountsIn(fields, currency);
  // A new currency alone re-reads the amounts already kept (258 USD stays 258, now in the new one).
  const rescale = (minor: number) =>
    currency === current.currency ? minor : (toMinor(fromMinor(minor, current.currency) ?? 0, currency) ?? minor);
  return {
    state: {
      sourceUpdatedAt: fields.sourceUpdatedAt ?? current.sourceUpdatedAt ?? null,
      status,
      totalMinor: amounts.totalMinor ?? rescale(current.totalMinor),
      currency,
      orderedAt: fields.orderedAt ?? current.orderedAt,
      items: amounts.items ?? current.items.map((item) => ({ ...item, costMinor: rescale(item.costMinor) })),
      attributes: { ...current.attributes, ...fields.attributes },
    },
    warnings,
  };
}

/** The sum of item costs times quantities, which seed 003 says must equal totalCost. */
export function itemsTotalMinor(items: OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.costMinor * item.quantity, 0);
}

export function totalMismatch(state: OrderState): Warning | null {
  if (state.items.length === 0) return null;
  const itemsTotal = itemsTotalMinor(state.items);
  if (itemsTotal === state.totalMinor) return null;
  return {
    code: 'ORDER_TOTAL_MISMATCH',
    message: `items add up to ${fromMinor(itemsTotal, state.currency)} but totalCost is ${fromMinor(state.totalMinor, state.currency)}`,
  };
}
