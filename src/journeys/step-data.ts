import { fromMinor } from '../domain/money.js';
import type { ContactRecord } from '../domain/records.js';
import type { Store } from '../domain/store.js';
import { isValidTimeZone } from '../domain/time.js';
import type { ComposeReads } from '../messaging/compose.js';
import type { JourneySettings } from './settings.js';

/** The shopper's own time zone (contact attribute `timezone`), else the store's. */
export function shopperTimeZone(contact: ContactRecord, store: Store): string {
  const tz = contact.attributes.timezone ?? contact.attributes.time_zone;
  return typeof tz === 'string' && isValidTimeZone(tz) ? tz : store.timeZone;
}

/** What conditions read (docs/journeys.md, "Conditions"): the trigger event, the shopper, their order and cart, the run. */
export async function conditionData(
  reads: Pick<ComposeReads, 'order' | 'cart'>,
  storeId: string,
  contact: ContactRecord,
  run: { id: string; runKey: string; enteredAt: number; orderId: string | null; data: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const order = run.orderId ? await reads.order(storeId, run.orderId) : null;
  const cart = await reads.cart(storeId, contact.id);
  return {
    event: run.data,
    contact: {
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      customer_id: contact.customerId,
      attributes: contact.attributes,
      whatsapp_status: contact.whatsappStatus,
    },
    order: order
      ? {
          id: order.orderId,
          status: order.state.status,
          total: fromMinor(order.state.totalMinor, order.state.currency),
          currency: order.state.currency,
          attributes: order.state.attributes,
        }
      : null,
    cart: cart
      ? { status: cart.status, lines: cart.lines.length, total: fromMinor(cart.totalMinor, cart.currency) }
      : null,
    run: { id: run.id, key: run.runKey, entered_at: new Date(run.enteredAt).toISOString() },
  };
}

/** A send step's template params: the settings' discount code and payment link, then the step's own. */
export function sendParams(
  settings: JourneySettings,
  orderId: string | null,
  own: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (settings.discountCode) params.discount_code = settings.discountCode;
  if (settings.paymentLinkBase && orderId)
    params.payment_link = `${settings.paymentLinkBase}${encodeURIComponent(orderId)}`;
  return own ? Object.assign(params, own) : params;
}
