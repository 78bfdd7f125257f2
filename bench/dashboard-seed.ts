import { sql } from 'kysely';
import pino from 'pino';
import { addMember } from '../src/accounts/users.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/engine/stores.js';
import { readRollups } from '../src/storage/overview.js';
import { bulkLoadWithRollups, SLOT_MS } from '../src/storage/rollup-triggers.js';

/**
 * The dashboard bench's store: 100,000 contacts (with their identities), 1,000,000 events,
 * 50,000 orders with a shipment each, 200,000 messages (a fifth sent by the cart-abandonment
 * journey, whose 40,000 runs are there too), 100,000 webhook deliveries, written by bulk SQL
 * inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL). The store, its
 * channel, its webhook subscription and its team come in through the real code. Everything
 * happened over the SPAN before the seeding, up to its last quarter hour, so the overview's
 * today, 7 and 30 days are full; the rollups are counted once after the load
 * (bulkLoadWithRollups), then checked against the sizes.
 *
 * Shapes that make the pages work hard: ten shoppers hold 5,000 events each (a long timeline),
 * names come from 20 first and 20 last names (a name search matches ~5,000 contacts), statuses
 * and templates are mixed so filters select 1 in 2 to 1 in 10.
 */
export const SIZES = {
  contacts: 100_000,
  events: 1_000_000,
  orders: 50_000,
  messages: 200_000,
  runs: 40_000,
  deliveries: 100_000,
  heavy: 10,
};
/** Events, orders, messages, runs and deliveries are spread evenly over this time (~174 days). */
const SPAN = 15_000_000_000;
const every = (count: number) => SPAN / count;
export const FIRST = [
  'Priya',
  'Rahul',
  'Ananya',
  'Vikram',
  'Meera',
  'Arjun',
  'Kavya',
  'Rohan',
  'Isha',
  'Aditya',
  'Neha',
  'Karan',
  'Diya',
  'Sameer',
  'Pooja',
  'Nikhil',
  'Sneha',
  'Varun',
  'Aisha',
  'Manish',
];
export const LAST = [
  'Shah',
  'Mehta',
  'Iyer',
  'Nair',
  'Rao',
  'Gupta',
  'Singh',
  'Das',
  'Kapoor',
  'Reddy',
  'Joshi',
  'Patel',
  'Bose',
  'Menon',
  'Pillai',
  'Verma',
  'Kulkarni',
  'Chopra',
  'Sethi',
  'Malhotra',
];
export const TEMPLATES = ['order_receipt', 'shipment_shipped', 'cart_reminder_1', 'browse_nudge', 'ndr_options'];
export const PASSWORD = 'bench password 1';

export const contactIdOf = (n: number) => `ct_B${String(n).padStart(8, '0')}`;
/**
 * Shopper n's phone: numbers scattered over the 8-digit range (48271 is prime to 10^8, so each is
 * different), not in the order shoppers arrived — as real numbers are.
 */
export const phoneOf = (n: number) => `+9198${String((n * 48271) % 100_000_000).padStart(8, '0')}`;
export const PHONE_SQL = '(n * 48271) % 100000000';
export const orderIdOf = (n: number) => `ORD-${String(n).padStart(7, '0')}`;
export const messageIdOf = (n: number) => `msg_B${String(n).padStart(8, '0')}`;

type Dialect = 'sqlite' | 'postgres';

/** The few expressions the two databases write differently. */
function dialect(d: Dialect) {
  const list = (items: string[]) => items.map((i) => `'${i}'`).join(',');
  return {
    /** `with ... insert ... select ... from seq` over n = 0 .. count-1 */
    insert: (count: number, into: string, select: string) =>
      d === 'sqlite'
        ? `with recursive seq(n) as (select 0 union all select n + 1 from seq where n < ${count - 1}) insert into ${into} select ${select} from seq`
        : `insert into ${into} select ${select} from generate_series(0::bigint, ${count - 1}) as seq(n)`,
    pad: (expr: string, width: number) =>
      d === 'sqlite' ? `printf('%0${width}d', ${expr})` : `lpad((${expr})::text, ${width}, '0')`,
    pick: (items: string[], index: string) =>
      d === 'sqlite'
        ? `json_extract('[${items.map((i) => `"${i}"`).join(',')}]', '$[' || (${index}) || ']')`
        : `(array[${list(items)}])[(${index}) + 1]`,
    random: d === 'sqlite' ? 'lower(hex(randomblob(16)))' : `md5(random()::text || clock_timestamp()::text)`,
    div: (a: string, b: number) => (d === 'sqlite' ? `(${a}) / ${b}` : `(${a}) / ${b}`),
  };
}

export interface SeededDashboard {
  storeId: string;
  ownerEmail: string;
  seedSeconds: number;
}

export async function seedDashboard(databaseUrl: string, d: Dialect): Promise<SeededDashboard> {
  const started = performance.now();
  const app = await createApp(
    { ...loadConfig({}), databaseUrl, sqliteSynchronous: 'NORMAL' },
    { logger: pino({ level: 'silent' }) },
  );
  try {
    const { store, apiKey } = await createStore(app.storage, {
      name: 'Bench Shop',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
    });
    const put = await app.server.inject({
      method: 'PUT',
      url: '/v1/channels/sandbox',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (put.statusCode !== 200) throw new Error(`sandbox: ${put.body}`);
    const ownerEmail = 'owner@bench.example';
    await addMember(
      app.storage,
      { email: ownerEmail, storeId: store.id, role: 'owner', password: PASSWORD },
      Date.now(),
    );
    const hook = await app.server.inject({
      method: 'POST',
      url: '/v1/webhooks/subscriptions',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { url: 'https://hooks.bench.example/storewire', events: ['message.status', 'order.created'] },
    });
    if (hook.statusCode !== 201 && hook.statusCode !== 200) throw new Error(`subscription: ${hook.body}`);
    const subscriptionId = String(hook.json().id);
    const x = dialect(d);
    const s = `'${store.id}'`;
    const end = Math.floor(Date.now() / SLOT_MS) * SLOT_MS;
    const BASE = end - SPAN;
    const first = x.pick(FIRST, 'n % 20');
    const last = x.pick(LAST, `${x.div('n', 20)} % 20`);
    const statements = [
      x.insert(
        SIZES.contacts,
        'contacts (id, store_id, customer_id, email, phone, name, attributes, whatsapp_status, whatsapp_status_source, whatsapp_status_at, merged_into, created_at, updated_at)',
        `'ct_B' || ${x.pad('n', 8)}, ${s}, 'cust-' || ${x.pad('n', 6)}, lower(${first} || '.' || ${last}) || n || '@mail.example', '+9198' || ${x.pad(PHONE_SQL, 8)},
         ${first} || ' ' || ${last}, '{}', case when n % 3 = 0 then 'ACTIVE' else 'INACTIVE' end, 'bench', ${BASE}, null, ${BASE} + n * 1000, ${BASE} + n * 1000`,
      ),
      ...[
        ['customer_id', `'cust-' || ${x.pad('n', 6)}`],
        ['phone', `'+9198' || ${x.pad(PHONE_SQL, 8)}`],
        ['email', `lower(${first} || '.' || ${last}) || n || '@mail.example'`],
      ].map(([kind, value]) =>
        x.insert(
          SIZES.contacts,
          'contact_identities (store_id, kind, value, contact_id, created_at)',
          `${s}, '${kind}', ${value}, 'ct_B' || ${x.pad('n', 8)}, ${BASE}`,
        ),
      ),
      // The first 50,000 events belong to ten shoppers (5,000 each); the rest are spread over all.
      x.insert(
        SIZES.events,
        'events (store_id, event_id, contact_id, name, sub_name, kind, source, occurred_at, timestamp, received_at, data)',
        `${s}, 'ev_B' || ${x.pad('n', 8)}, 'ct_B' || ${x.pad(`case when n < 50000 then n % ${SIZES.heavy} else (n * 7919) % ${SIZES.contacts} end`, 8)},
         case when n % 4 = 0 then 'cart_update' else 'product_view' end, case when n % 4 = 0 then 'add_to_cart' else null end, 'activity', 'native',
         ${BASE} + n * ${every(SIZES.events)}, '2026-05-01T00:00:00Z', ${BASE} + n * ${every(SIZES.events)}, '{"product_id":"p' || (n % 500) || '"}'`,
      ),
      x.insert(
        SIZES.orders,
        'orders (store_id, order_id, contact_id, status, total_minor, currency, ordered_at, items, attributes, source, source_updated_at, created_at, updated_at, tracking_token)',
        `${s}, 'ORD-' || ${x.pad('n', 7)}, 'ct_B' || ${x.pad(`(n * 2) % ${SIZES.contacts}`, 8)},
         ${x.pick(['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED', 'DELIVERED'], 'n % 5')}, 129900, 'INR', ${BASE} + n * ${every(SIZES.orders)},
         '[{"externalItemId":"SK101","name":"Roasted Makhanas","quantity":2,"costMinor":49950,"url":"https://shop.example/p/1","imageUrl":"https://cdn.example/1.jpg","extra":{}},{"externalItemId":"SK102","name":"Green Tea","quantity":1,"costMinor":30000,"url":"https://shop.example/p/2","imageUrl":"https://cdn.example/2.jpg","extra":{}}]',
         '{}', 'generate_event', null, ${BASE} + n * ${every(SIZES.orders)}, ${BASE} + n * ${every(SIZES.orders)}, ${x.random}`,
      ),
      x.insert(
        SIZES.orders,
        'shipments (store_id, shipment_id, order_id, tracking_id, courier_name, item_ids, log, latest_status, latest_at, created_at, updated_at)',
        `${s}, 'SH-' || n, 'ORD-' || ${x.pad('n', 7)}, 'TRK' || n, 'Delhivery', '[]',
         '[{"status":"created","occurredAt":${BASE},"remark":"","location":"","ndr":null},{"status":"shipped","occurredAt":${BASE + 3_600_000},"remark":"","location":"Mumbai","ndr":null},{"status":"in_transit","occurredAt":${BASE + 7_200_000},"remark":"","location":"Pune","ndr":null}]',
         'in_transit', ${BASE + 7_200_000}, ${BASE}, ${BASE}`,
      ),
      x.insert(
        SIZES.messages,
        'messages (id, store_id, contact_id, channel, sender, recipient, kind, category, template_name, campaign, source, idempotency_key, payload, status, history, provider_message_id, error_code, error_reason, attempts, next_attempt_at, lease_until, created_at, updated_at, sent_at, delivered_at, read_at, failed_at, replied_at)',
        `'msg_B' || ${x.pad('n', 8)}, ${s}, 'ct_B' || ${x.pad(`(n * 7) % ${SIZES.contacts}`, 8)}, case when n % 4 = 0 then 'whatsapp' else 'sandbox' end, 'sandbox',
         '+9198' || ${x.pad(`(((n * 7) % ${SIZES.contacts}) * 48271) % 100000000`, 8)}, 'template', 'utility', ${x.pick(TEMPLATES, 'n % 5')},
         case when n % 5 = 0 then 'journey:cart_abandonment:reminder_1' else null end, case when n % 5 = 0 then 'journey' else 'api' end,
         'bench:' || n, '{}', case when n % 10 = 0 then 'failed' else 'read' end,
         '[{"status":"queued","at":${BASE}},{"status":"sent","at":${BASE + 1000}}]', 'wamid.B' || n,
         case when n % 10 = 0 then '131026' else null end, case when n % 10 = 0 then 'Message undeliverable' else null end, 1,
         ${BASE} + n * ${every(SIZES.messages)}, null, ${BASE} + n * ${every(SIZES.messages)}, ${BASE} + n * ${every(SIZES.messages)}, ${BASE} + n * ${every(SIZES.messages)}, null, null, null, null`,
      ),
      // Run n sent message 5n (its shopper, its time): six in ten completed, two exited, two waiting.
      x.insert(
        SIZES.runs,
        'journey_runs (id, store_id, journey_id, version, contact_id, run_key, status, step_id, seq, due_at, lease_until, lease_owner, entered_at, trigger_event_id, trigger_at, order_id, data, waiting_for, wait_started_at, exit_reason, notes, updated_at, ended_at)',
        `'run_B' || n, ${s}, 'cart_abandonment', 1, 'ct_B' || ${x.pad(`(n * 35) % ${SIZES.contacts}`, 8)}, '',
         case when n % 10 < 6 then 'completed' when n % 10 < 8 then 'exited' else 'active' end,
         case when n % 10 < 8 then null else 'wait_24h' end, 2, ${end + 30 * 86_400_000}, null, null,
         ${BASE} + n * ${every(SIZES.runs)}, null, ${BASE} + n * ${every(SIZES.runs)}, null, '{}', null, null,
         case when n % 10 in (6, 7) then 'order_placed' else null end, '[]', ${BASE} + n * ${every(SIZES.runs)},
         case when n % 10 < 8 then ${BASE} + n * ${every(SIZES.runs)} + 86400000 else null end`,
      ),
      x.insert(
        SIZES.runs,
        'journey_steps (run_id, seq, store_id, journey_id, step_id, outcome, detail, message_id, at)',
        `'run_B' || n, 0, ${s}, 'cart_abandonment', 'reminder_1', 'sent', null, 'msg_B' || ${x.pad('n * 5', 8)}, ${BASE} + n * ${every(SIZES.runs)}`,
      ),
      x.insert(
        SIZES.deliveries,
        'webhook_deliveries (id, store_id, subscription_id, event_type, payload, status, attempts, next_attempt_at, lease_until, last_status_code, last_error, created_at, delivered_at)',
        `'whd_B' || ${x.pad('n', 8)}, ${s}, '${subscriptionId}', case when n % 4 = 0 then 'order.created' else 'message.status' end, '{"bench":true}',
         case when n % 20 = 0 then 'failed' else 'delivered' end, case when n % 20 = 0 then 8 else 1 end, ${BASE} + n * ${every(SIZES.deliveries)}, null,
         case when n % 20 = 0 then 503 else 200 end, case when n % 20 = 0 then 'HTTP 503' else null end,
         ${BASE} + n * ${every(SIZES.deliveries)}, case when n % 20 = 0 then null else ${BASE} + n * ${every(SIZES.deliveries)} + 800 end`,
      ),
    ];
    await app.storage.transaction((trx) =>
      bulkLoadWithRollups(trx, async () => {
        for (const statement of statements) await sql.raw(statement).execute(trx);
      }),
    );
    // The overview reads only the rollups: they must hold what was loaded.
    const rollups = await readRollups(app.storage.db, store.id, BASE, end + SLOT_MS);
    const counted = {
      events: rollups.slots.reduce((sum, slot) => sum + slot.events, 0),
      messages: rollups.slots.reduce((sum, slot) => sum + slot.messages.total, 0),
      orders: rollups.slots.reduce((sum, slot) => sum + slot.orders, 0),
      runs: rollups.slots.reduce((sum, slot) => sum + slot.runs, 0),
    };
    for (const [what, n] of Object.entries(counted))
      if (n !== SIZES[what as keyof typeof counted])
        throw new Error(`rollups count ${n} ${what}, ${SIZES[what as keyof typeof counted]} were loaded`);
    // The conversions the triggers kept during the load (migration 0023) must be what the stats'
    // former join of the journey's runs and the store's orders finds (72 h, the run's own order out).
    const joined = await sql<{ run_id: string; order_id: string }>`
      select r.id as run_id, min(cast(o.created_at as text) || ' ' || o.order_id) as order_id from journey_runs r
      join orders o on o.store_id = r.store_id and o.contact_id = r.contact_id
        and o.created_at >= r.entered_at and o.created_at <= r.entered_at + 259200000
        and (r.order_id is null or o.order_id <> r.order_id)
      where r.store_id = ${store.id} and r.journey_id = 'cart_abandonment' group by r.id`.execute(app.storage.db);
    const kept = await sql<{ run_id: string; order_id: string }>`
      select run_id, cast(created_at as text) || ' ' || order_id as order_id from journey_conversions
      where store_id = ${store.id} and journey_id = 'cart_abandonment' and after_ms <= 259200000`.execute(
      app.storage.db,
    );
    const pairs = (rows: { run_id: string; order_id: string }[]) =>
      rows
        .map((r) => `${r.run_id}>${r.order_id}`)
        .sort()
        .join(',');
    if (kept.rows.length === 0 || pairs(kept.rows) !== pairs(joined.rows))
      throw new Error(`conversions: ${kept.rows.length} kept, the join finds ${joined.rows.length}`);
    console.error(`dashboard/${d}: ${kept.rows.length} conversions kept, as the join finds`);
    // PostgreSQL's autovacuum vacuums and gathers statistics after a bulk load like this (inserts
    // alone start it since PostgreSQL 13); do it now rather than some time into the measurement. The
    // vacuum marks the pages all-visible, which lets the journey page's counts read their indexes
    // alone. (SQLite: Storewire never runs ANALYZE, so neither does the bench.)
    if (d === 'postgres') await sql`vacuum analyze`.execute(app.storage.db);
    return { storeId: store.id, ownerEmail, seedSeconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    await app.close();
  }
}
