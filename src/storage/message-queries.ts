import { sql } from 'kysely';
import type { MessageRecord, MessageStatus } from '../domain/messages.js';
import type { Db } from './database.js';
import { toMessage } from './messages.js';

export interface MessageFilter {
  contactId?: string;
  status?: MessageStatus;
  template?: string;
  campaign?: string;
  channel?: string;
  /** Messages of any of these campaigns (a journey's steps): each read from its own index range. */
  campaigns?: string[];
  /** Only messages created before this message id (newest first paging). */
  before?: string;
  limit: number;
}

/**
 * A store's messages, newest first (by when they were queued, then id), filtered. Read in the
 * order of the (store, created_at) index — or of the contact's, template's or campaign's — so a
 * page costs its own rows, not a sort of the whole store's log.
 */
export async function listMessages(db: Db, storeId: string, filter: MessageFilter): Promise<MessageRecord[]> {
  if (filter.campaigns) {
    const { campaigns, ...rest } = filter;
    const pages = await Promise.all(campaigns.map((campaign) => listMessages(db, storeId, { ...rest, campaign })));
    return pages
      .flat()
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, filter.limit);
  }
  let query = db.selectFrom('messages').selectAll().where('store_id', '=', storeId);
  if (filter.contactId) query = query.where('contact_id', '=', filter.contactId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.template) query = query.where('template_name', '=', filter.template);
  if (filter.campaign) query = query.where('campaign', '=', filter.campaign);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.before) {
    const before = filter.before;
    const last = await db
      .selectFrom('messages')
      .select('created_at')
      .where('store_id', '=', storeId)
      .where('id', '=', before)
      .executeTakeFirst();
    // A message id of another store (or none) pages from nothing: an empty page, never a leak.
    if (!last) return [];
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', last.created_at),
        eb.and([eb('created_at', '=', last.created_at), eb('id', '<', before)]),
      ]),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toMessage);
}

export async function getMessage(db: Db, storeId: string, id: string): Promise<MessageRecord | null> {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toMessage(row) : null;
}

export interface MessageStats {
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replied: number;
  /** Sent after an attempt whose outcome stayed unknown: the shopper may have it twice. */
  possiblyDuplicated: number;
  failureReasons: { code: string | null; reason: string | null; count: number }[];
}

/**
 * Counts of the messages of a template or campaign by how far they got: a read message was
 * also sent and delivered (WhatsApp may skip "delivered" when it is read at once).
 */
export async function messageStats(
  db: Db,
  storeId: string,
  filter: { template?: string; campaign?: string; since?: number },
): Promise<MessageStats> {
  let base = db.selectFrom('messages').where('store_id', '=', storeId);
  if (filter.template) base = base.where('template_name', '=', filter.template);
  if (filter.campaign) base = base.where('campaign', '=', filter.campaign);
  if (filter.since !== undefined) base = base.where('created_at', '>=', filter.since);
  const count = (condition: ReturnType<typeof sql<boolean>>) =>
    sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
  const totals = await base
    .select([
      sql<number>`count(*)`.as('total'),
      count(sql`status in ('queued', 'sending')`).as('queued'),
      count(sql`sent_at is not null or status in ('sent', 'delivered', 'read')`).as('sent'),
      count(sql`delivered_at is not null or read_at is not null or status in ('delivered', 'read')`).as('delivered'),
      count(sql`read_at is not null or status = 'read'`).as('read'),
      count(sql`status = 'failed'`).as('failed'),
      count(sql`replied_at is not null`).as('replied'),
      count(sql`unknown_attempts > 0 and sent_at is not null`).as('possibly_duplicated'),
    ])
    .executeTakeFirstOrThrow();
  const reasons = await base
    .select(['error_code', 'error_reason', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'failed')
    .groupBy(['error_code', 'error_reason'])
    .orderBy(sql`count(*)`, 'desc')
    .limit(20)
    .execute();
  const n = (v: unknown) => Number(v ?? 0);
  return {
    total: n(totals.total),
    queued: n(totals.queued),
    sent: n(totals.sent),
    delivered: n(totals.delivered),
    read: n(totals.read),
    failed: n(totals.failed),
    replied: n(totals.replied),
    possiblyDuplicated: n(totals.possibly_duplicated),
    failureReasons: reasons.map((r) => ({ code: r.error_code, reason: r.error_reason, count: n(r.n) })),
  };
}

/** Storewire's id of the store's message a provider knows by `providerMessageId` (a reply quotes it). */
export async function messageIdByProviderId(
  db: Db,
  storeId: string,
  providerMessageId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('store_id', '=', storeId)
    .where('provider_message_id', '=', providerMessageId)
    .executeTakeFirst();
  return row?.id ?? null;
}
