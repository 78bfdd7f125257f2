import type { Clock } from '../clock.js';
import type { Store } from '../domain/store.js';
import type { Engine } from '../engine/engine.js';
import { enableJourney } from '../journeys/service.js';
import type { Storage } from '../storage/database.js';
import {
  addToCart,
  DEMO_CATALOGUE,
  type DemoProduct,
  type DemoShopper,
  markDelivered,
  placeOrder,
  syncShopper,
  updateShipment,
  viewProduct,
} from './demo-shopper.js';

/**
 * What `storewire start` puts in the demo store when it makes it (once per database): a few
 * shoppers with WhatsApp consent, their views, a cart left behind, orders with shipments (one
 * delivered, one failed delivery with the courier's resolutions), and two journeys enabled whose
 * messages go out through the sandbox. Everything takes the road a store's own data takes
 * (store events through the engine; the journeys queue the messages, the dispatcher sends them,
 * the sandbox reports their statuses), dated back from the clock's now, so the overview shows today.
 */

const [SHIRT, KURTA, SAREE, SANDALS, TOTE] = DEMO_CATALOGUE as [
  DemoProduct,
  DemoProduct,
  DemoProduct,
  DemoProduct,
  DemoProduct,
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Every sample shopper agreed to WhatsApp messages at the store's sign-up form. */
const SOURCE = 'signup_form';

export const SAMPLE_SHOPPERS = {
  aarav: { customerId: 'sample-aarav', name: 'Aarav Patel', phone: '+919876501111', email: 'aarav.patel@example.in' },
  diya: { customerId: 'sample-diya', name: 'Diya Nair', phone: '+919876502222', email: 'diya.nair@example.in' },
  meera: { customerId: 'sample-meera', name: 'Meera Iyer', phone: '+919876503333', email: 'meera.iyer@example.in' },
  /** The sandbox fails every message to a number ending in 0000 (Meta's 131026): a failed message to look at. */
  kabir: { customerId: 'sample-kabir', name: 'Kabir Khan', phone: '+919812340000' },
  rohan: { customerId: 'sample-rohan', name: 'Rohan Das', phone: '+919876505555', email: 'rohan.das@example.in' },
} as const;

/** Journeys the sample data enables (ready-made; utility messages): cart abandonment is left for the README's tour. */
export const SAMPLE_JOURNEYS = ['order_receipt', 'failed_delivery'] as const;

/** The order with the failed delivery, and the courier's resolutions (seed 004's ndrDetails). */
export const SAMPLE_NDR_ORDER = 'SW-1002';
export const SAMPLE_NDR_RESOLUTIONS = [
  { resolutionCode: 'ACTF001', action: 'I would like to request another delivery attempt' },
  { resolutionCode: 'ACTF002', action: 'I would like to choose a new delivery date' },
  { resolutionCode: 'ACTF003', action: 'I would like to cancel my order' },
];

export interface SampleData {
  shoppers: number;
  orders: string[];
  journeys: readonly string[];
}

export async function fillDemoStore(
  deps: { storage: Storage; engine: Engine; clock: Clock },
  store: Store,
): Promise<SampleData> {
  const { storage, engine, clock } = deps;
  const now = clock.now();
  const ago = (ms: number) => now - ms;
  const sync = (who: (typeof SAMPLE_SHOPPERS)[keyof typeof SAMPLE_SHOPPERS], at: number): Promise<DemoShopper> =>
    syncShopper(engine, store, { ...who, source: SOURCE }, at);
  const courier = (orderId: string, n: string) => ({
    shipmentId: `SHP-${n}`,
    orderId,
    trackingId: `DLV${n}0042IN`,
    courierName: 'Delhivery',
  });

  // The week before: shoppers sign up; Aarav buys, and his parcel travels (no journey was on yet).
  const aarav = await sync(SAMPLE_SHOPPERS.aarav, ago(6 * DAY));
  const diya = await sync(SAMPLE_SHOPPERS.diya, ago(5 * DAY));
  const meera = await sync(SAMPLE_SHOPPERS.meera, ago(4 * DAY));
  const kabir = await sync(SAMPLE_SHOPPERS.kabir, ago(3 * DAY));
  const rohan = await sync(SAMPLE_SHOPPERS.rohan, ago(2 * DAY));
  await viewProduct(engine, store, aarav, KURTA, ago(3 * DAY + 20 * MINUTE));
  const aaravOrder = await placeOrder(engine, store, aarav, ago(3 * DAY), {
    orderId: 'SW-1001',
    products: [KURTA, TOTE],
  });
  await updateShipment(engine, store, courier(aaravOrder, '1001'), [
    { status: 'created', at: ago(3 * DAY - 2 * HOUR) },
    { status: 'packed', at: ago(3 * DAY - 5 * HOUR), location: 'Bengaluru warehouse' },
    { status: 'shipped', at: ago(2 * DAY), location: 'Bengaluru hub' },
  ]);

  // Then the store turns its journeys on: from here on, orders are confirmed and failed deliveries asked about.
  for (const id of SAMPLE_JOURNEYS) await enableJourney(storage, store, id, ago(DAY + 2 * HOUR));

  // Yesterday and today.
  const diyaOrder = await placeOrder(engine, store, diya, ago(DAY + HOUR), {
    orderId: SAMPLE_NDR_ORDER,
    products: [SAREE],
    paymentType: 'COD',
  });
  await updateShipment(engine, store, courier(diyaOrder, '1002'), [
    { status: 'created', at: ago(DAY) },
    { status: 'packed', at: ago(22 * HOUR), location: 'Bengaluru warehouse' },
    { status: 'shipped', at: ago(20 * HOUR), location: 'Bengaluru hub' },
    { status: 'out_for_delivery', at: ago(4 * HOUR), location: 'Kochi', remark: 'with the delivery agent' },
    {
      status: 'failed_delivery',
      at: ago(HOUR),
      location: 'Kochi',
      remark: 'customer not reachable',
      ndr: { ndrCode: '0', reason: 'Customer not reachable', resolutions: SAMPLE_NDR_RESOLUTIONS },
    },
  ]);
  await updateShipment(engine, store, courier(aaravOrder, '1001'), [
    { status: 'out_for_delivery', at: ago(5 * HOUR), location: 'Mumbai' },
    { status: 'delivered', at: ago(3 * HOUR), location: 'Mumbai', remark: 'handed to the shopper' },
  ]);
  await markDelivered(engine, store, aaravOrder, ago(3 * HOUR));
  await viewProduct(engine, store, meera, SHIRT, ago(50 * MINUTE));
  const meeraOrder = await placeOrder(engine, store, meera, ago(40 * MINUTE), {
    orderId: 'SW-1003',
    products: [SHIRT, SANDALS],
  });
  await viewProduct(engine, store, rohan, SANDALS, ago(30 * MINUTE));
  await addToCart(engine, store, rohan, ago(25 * MINUTE), SANDALS);
  const kabirOrder = await placeOrder(engine, store, kabir, ago(15 * MINUTE), {
    orderId: 'SW-1004',
    products: [TOTE],
    paymentType: 'COD',
  });
  return {
    shoppers: Object.keys(SAMPLE_SHOPPERS).length,
    orders: [aaravOrder, diyaOrder, meeraOrder, kabirOrder],
    journeys: SAMPLE_JOURNEYS,
  };
}

/** What `start` prints about the sample data it just made. */
export function sampleDataLines(sample: SampleData): string[] {
  return [
    `  Sample data (made now, once): ${sample.shoppers} shoppers, ${sample.orders.length} orders (one delivered, ${SAMPLE_NDR_ORDER} with a failed delivery), a cart left behind;`,
    `  journeys ${sample.journeys.join(' and ')} enabled, their messages going out through the sandbox.`,
    '  To start with an empty demo store instead: --no-sample-data (or STOREWIRE_SAMPLE_DATA=0) on a new database.',
  ];
}
