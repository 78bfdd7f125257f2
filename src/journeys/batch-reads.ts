import type { ChannelAccount } from '../channels/channel.js';
import type { MessageRecord } from '../domain/messages.js';
import type { CartRecord, ContactRecord, EventRecord, OrderRecord } from '../domain/records.js';
import type { Store } from '../domain/store.js';
import { capWindowStart, frequencyCapOf } from '../domain/frequency-cap.js';
import { readsFrom, type ComposeReads } from '../messaging/compose.js';
import type { ResolvedTemplate } from '../messaging/templates/index.js';
import { findCarts } from '../storage/carts.js';
import { channelAccountsOfStore } from '../storage/channel-accounts.js';
import { getContact, toContactRecord } from '../storage/contacts.js';
import type { Db } from '../storage/database.js';
import { findEvents } from '../storage/events.js';
import { getJourneySettings, type JourneyRun } from '../storage/journeys.js';
import { eventsNamedAfter, marketingCreatedSince, ordersCreatedSince } from '../storage/journey-facts.js';
import { selectByKeys } from '../storage/keyed-select.js';
import { findOrders } from '../storage/orders.js';
import type { ContactsTable } from '../storage/schema.js';
import type { JourneyDefinition } from './definition.js';
import { exitFactsFrom, type ExitFacts } from './exits.js';
import { DEFAULT_JOURNEY_SETTINGS, type JourneySettings } from './settings.js';

/** One store's share of a batch: its rows, read with one query per table. */
interface StoreRows {
  settings: JourneySettings;
  contacts: Map<string, ContactRecord>;
  carts: Map<string, CartRecord>;
  orders: Map<string, OrderRecord>;
  events: Map<string, EventRecord>;
  accounts: Map<string, ChannelAccount>;
  templates: Map<string, Promise<ResolvedTemplate | null>>;
  /** When each shopper's marketing messages since `marketingFrom` were created (the cap counts them). */
  marketing: Map<string, number[]>;
  marketingFrom: number;
  /** Orders created since `ordersFrom`, by shopper (exit condition "order placed"). */
  ordersSince: Map<string, { orderId: string; createdAt: number }[]> | null;
  ordersFrom: number;
  /** Events named in exit conditions after `eventsAfter`, by shopper. */
  exitEvents: Map<string, { name: string; occurredAt: number }[]> | null;
  exitEventNames: Set<string>;
  eventsAfter: number;
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * What a claimed batch of runs reads — shoppers, carts, orders, trigger events, settings,
 * accounts, marketing counts, and the facts exit conditions ask about — loaded with one query
 * per table and store, rather than several queries per run. It answers as the database would
 * have when the batch was loaded; anything it did not load (another store, a shopper merged
 * away since, a PSID) it reads from the database then.
 */
export class BatchReads implements ComposeReads, ExitFacts {
  private readonly fallback: ComposeReads;
  private readonly exitFallback: ExitFacts;

  private constructor(
    private readonly db: Db,
    private readonly stores: Map<string, StoreRows>,
  ) {
    this.fallback = readsFrom(db);
    this.exitFallback = exitFactsFrom(db);
  }

  static async load(
    db: Db,
    runs: JourneyRun[],
    definitions: Map<string, JourneyDefinition | null>,
    stores: Map<string, Store | null>,
    now: number,
  ): Promise<BatchReads> {
    const byStore = new Map<string, JourneyRun[]>();
    for (const run of runs) push(byStore, run.storeId, run);
    const loaded = new Map<string, StoreRows>();
    for (const [storeId, ofStore] of byStore) {
      const contactIds = [...new Set(ofStore.map((r) => r.contactId))];
      const orderIds = [...new Set(ofStore.flatMap((r) => (r.orderId ? [r.orderId] : [])))];
      const eventIds = [...new Set(ofStore.flatMap((r) => (r.triggerEventId ? [r.triggerEventId] : [])))];
      const exits = ofStore
        .map((r) => definitions.get(`${r.journeyId}\u0000${r.version}`)?.exit)
        .filter((e) => e !== undefined);
      const cap = frequencyCapOf(stores.get(storeId));
      const rows: StoreRows = {
        settings: await getJourneySettings(db, storeId, DEFAULT_JOURNEY_SETTINGS),
        contacts: new Map(),
        carts: await findCarts(db, storeId, contactIds),
        orders: orderIds.length > 0 ? await findOrders(db, storeId, orderIds) : new Map(),
        events: eventIds.length > 0 ? await findEvents(db, storeId, eventIds) : new Map(),
        accounts: new Map((await channelAccountsOfStore(db, storeId)).map((a) => [a.channel, a])),
        templates: new Map(),
        marketing: new Map(),
        marketingFrom: capWindowStart(cap, now),
        ordersSince: null,
        ordersFrom: Math.min(...ofStore.map((r) => r.enteredAt)),
        exitEvents: null,
        exitEventNames: new Set(exits.flatMap((e) => e.events ?? [])),
        eventsAfter: Math.min(...ofStore.map((r) => r.triggerAt)),
      };
      // A shopper merged into another since the run was saved is read the slow way (getContact follows the merge).
      const contacts = await selectByKeys<ContactsTable>(db, {
        table: 'contacts',
        storeId,
        columns: ['id'],
        keys: contactIds.map((id) => [id]),
      });
      for (const row of contacts) if (!row.merged_into) rows.contacts.set(row.id, toContactRecord(row));
      for (const m of await marketingCreatedSince(db, storeId, contactIds, rows.marketingFrom))
        push(rows.marketing, m.contactId, m.createdAt);
      if (exits.some((e) => e.orderPlaced)) {
        rows.ordersSince = new Map();
        for (const o of await ordersCreatedSince(db, storeId, contactIds, rows.ordersFrom))
          push(rows.ordersSince, o.contactId, { orderId: o.orderId, createdAt: o.createdAt });
      }
      if (rows.exitEventNames.size > 0) {
        rows.exitEvents = new Map();
        const names = [...rows.exitEventNames];
        for (const e of await eventsNamedAfter(db, storeId, contactIds, names, rows.eventsAfter))
          push(rows.exitEvents, e.contactId, { name: e.name, occurredAt: e.occurredAt });
      }
      loaded.set(storeId, rows);
    }
    return new BatchReads(db, loaded);
  }

  async contact(storeId: string, contactId: string): Promise<ContactRecord | null> {
    return this.stores.get(storeId)?.contacts.get(contactId) ?? (await getContact(this.db, storeId, contactId));
  }

  async settings(storeId: string): Promise<JourneySettings> {
    return this.stores.get(storeId)?.settings ?? (await getJourneySettings(this.db, storeId, DEFAULT_JOURNEY_SETTINGS));
  }

  /** A message the batch will queue: it counts towards its shopper's marketing cap from now on. */
  planned(message: MessageRecord): void {
    const rows = this.stores.get(message.storeId);
    if (rows && message.category === 'marketing' && message.contactId)
      push(rows.marketing, message.contactId, message.createdAt);
  }

  async account(storeId: string, channel: 'whatsapp' | 'messenger'): Promise<ChannelAccount | null> {
    const rows = this.stores.get(storeId);
    if (!rows) return this.fallback.account(storeId, channel);
    // As sendingAccount: WhatsApp goes out through the store's number, else its sandbox.
    return channel === 'messenger'
      ? (rows.accounts.get('messenger') ?? null)
      : (rows.accounts.get('whatsapp') ?? rows.accounts.get('sandbox') ?? null);
  }

  psid(storeId: string, contactId: string): Promise<string | null> {
    return this.fallback.psid(storeId, contactId);
  }

  template(storeId: string, name: string): Promise<ResolvedTemplate | null> {
    const rows = this.stores.get(storeId);
    if (!rows) return this.fallback.template(storeId, name);
    let found = rows.templates.get(name);
    if (!found) {
      found = this.fallback.template(storeId, name);
      rows.templates.set(name, found);
    }
    return found;
  }

  async order(storeId: string, orderId: string): Promise<OrderRecord | null> {
    return this.stores.get(storeId)?.orders.get(orderId) ?? (await this.fallback.order(storeId, orderId));
  }

  async event(storeId: string, eventId: string): Promise<EventRecord | null> {
    return this.stores.get(storeId)?.events.get(eventId) ?? (await this.fallback.event(storeId, eventId));
  }

  async cart(storeId: string, contactId: string): Promise<CartRecord | null> {
    const rows = this.stores.get(storeId);
    // Every shopper of the batch had their cart looked up: absent means they have none.
    if (rows?.contacts.has(contactId)) return rows.carts.get(contactId) ?? null;
    return this.fallback.cart(storeId, contactId);
  }

  async recentMarketing(storeId: string, contactId: string, since: number): Promise<number> {
    const rows = this.stores.get(storeId);
    if (!rows?.contacts.has(contactId) || since < rows.marketingFrom)
      return this.fallback.recentMarketing(storeId, contactId, since);
    return (rows.marketing.get(contactId) ?? []).filter((at) => at >= since).length;
  }

  async orderSince(storeId: string, contactId: string, since: number, except: string | null): Promise<string | null> {
    const rows = this.stores.get(storeId);
    if (!rows?.ordersSince || !rows.contacts.has(contactId) || since < rows.ordersFrom)
      return this.exitFallback.orderSince(storeId, contactId, since, except);
    const found = (rows.ordersSince.get(contactId) ?? [])
      .filter((o) => o.createdAt >= since && o.orderId !== except)
      .sort((a, b) => a.createdAt - b.createdAt);
    return found[0]?.orderId ?? null;
  }

  async eventAfter(storeId: string, contactId: string, names: string[], after: number): Promise<string | null> {
    const rows = this.stores.get(storeId);
    if (
      !rows?.exitEvents ||
      !rows.contacts.has(contactId) ||
      after < rows.eventsAfter ||
      names.some((n) => !rows.exitEventNames.has(n))
    ) {
      return this.exitFallback.eventAfter(storeId, contactId, names, after);
    }
    const found = (rows.exitEvents.get(contactId) ?? [])
      .filter((e) => e.occurredAt > after && names.includes(e.name))
      .sort((a, b) => a.occurredAt - b.occurredAt);
    return found[0]?.name ?? null;
  }
}
