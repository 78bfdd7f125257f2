import type { ChannelName, MessageRecord, MessageStatus } from '../domain/messages.js';
import { inListChunks, rowChunks } from './bulk.js';
import { insertIgnoringConflicts } from './bulk-sql.js';
import { beginAttempts } from './message-attempts.js';
import type { Db } from './database.js';
import { parseJson, toJson } from './json.js';
import type { MessagesTable } from './schema.js';

// Statuses that came before their message's provider id: their own file, re-exported for the callers.
export * from './pending-statuses.js';

export function toMessage(row: MessagesTable): MessageRecord {
  return {
    id: row.id,
    storeId: row.store_id,
    contactId: row.contact_id,
    channel: row.channel as ChannelName,
    sender: row.sender,
    recipient: row.recipient,
    kind: row.kind as MessageRecord['kind'],
    category: row.category as MessageRecord['category'],
    templateName: row.template_name,
    campaign: row.campaign,
    source: row.source as MessageRecord['source'],
    idempotencyKey: row.idempotency_key,
    payload: parseJson(row.payload, {}),
    status: row.status as MessageStatus,
    history: parseJson(row.history, []),
    providerMessageId: row.provider_message_id,
    errorCode: row.error_code,
    errorReason: row.error_reason,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    claimedBy: row.claimed_by,
    unknownAttempts: Number(row.unknown_attempts ?? 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    failedAt: row.failed_at,
    repliedAt: row.replied_at,
  };
}

function toRow(m: MessageRecord): MessagesTable {
  return {
    id: m.id,
    store_id: m.storeId,
    contact_id: m.contactId,
    channel: m.channel,
    sender: m.sender,
    recipient: m.recipient,
    kind: m.kind,
    category: m.category,
    template_name: m.templateName,
    campaign: m.campaign,
    source: m.source,
    idempotency_key: m.idempotencyKey,
    payload: toJson(m.payload),
    status: m.status,
    history: toJson(m.history),
    provider_message_id: m.providerMessageId,
    error_code: m.errorCode,
    error_reason: m.errorReason,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt,
    lease_until: m.leaseUntil,
    claimed_by: m.claimedBy ?? null,
    unknown_attempts: m.unknownAttempts ?? 0,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    sent_at: m.sentAt,
    delivered_at: m.deliveredAt,
    read_at: m.readAt,
    failed_at: m.failedAt,
    replied_at: m.repliedAt,
  };
}

/**
 * Queues messages. A message whose idempotency key the store already used is not queued again;
 * the ones that already existed are returned as they are.
 */
export async function insertMessages(
  db: Db,
  messages: MessageRecord[],
): Promise<{ inserted: MessageRecord[]; existing: MessageRecord[] }> {
  const inserted: MessageRecord[] = [];
  const existing: MessageRecord[] = [];
  const ids = new Set(
    await insertIgnoringConflicts(db, 'messages', messages.map(toRow), ['store_id', 'idempotency_key'], 'id'),
  );
  for (const message of messages) (ids.has(message.id) ? inserted : existing).push(message);
  // Written claimed (the dispatcher of this process sends it at once): its first attempt begins.
  const claimed = inserted.filter((m) => m.status === 'sending');
  if (claimed.length > 0)
    await beginAttempts(
      db,
      claimed.map((m) => ({ messageId: m.id, attempt: m.attempts, worker: m.claimedBy ?? null, at: m.updatedAt })),
    );
  if (existing.length === 0) return { inserted, existing };
  // Keys are unique per store: look each store's up in its own.
  const found = new Map<string, MessageRecord>();
  for (const storeId of new Set(existing.map((m) => m.storeId))) {
    const ofStore = await findMessagesByKeys(
      db,
      storeId,
      existing.filter((m) => m.storeId === storeId).map((m) => m.idempotencyKey),
    );
    for (const [key, message] of ofStore) found.set(`${storeId}\u0000${key}`, message);
  }
  return { inserted, existing: existing.map((m) => found.get(`${m.storeId}\u0000${m.idempotencyKey}`) ?? m) };
}

export async function findMessagesByKeys(db: Db, storeId: string, keys: string[]): Promise<Map<string, MessageRecord>> {
  const found = new Map<string, MessageRecord>();
  for (const part of inListChunks([...new Set(keys)])) {
    const rows = await db
      .selectFrom('messages')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('idempotency_key', 'in', part)
      .execute();
    for (const row of rows) found.set(row.idempotency_key, toMessage(row));
  }
  return found;
}

export async function findMessagesByIds(db: Db, ids: string[]): Promise<Map<string, MessageRecord>> {
  const found = new Map<string, MessageRecord>();
  for (const part of inListChunks([...new Set(ids)])) {
    const rows = await db.selectFrom('messages').selectAll().where('id', 'in', part).execute();
    for (const row of rows) found.set(row.id, toMessage(row));
  }
  return found;
}

/** Messages by the provider's id for them; the channel's ids are unique, so this finds the store too. */
export async function findMessagesByProviderIds(
  db: Db,
  channel: ChannelName,
  providerIds: string[],
): Promise<Map<string, MessageRecord>> {
  const found = new Map<string, MessageRecord>();
  for (const part of inListChunks([...new Set(providerIds)])) {
    const rows = await db
      .selectFrom('messages')
      .selectAll()
      .where('channel', '=', channel)
      .where('provider_message_id', 'in', part)
      .execute();
    for (const row of rows) found.set(row.provider_message_id!, toMessage(row));
  }
  return found;
}

/** Writes messages whose state changed (status, ids, times, lease, attempts). */
export async function saveMessages(db: Db, messages: MessageRecord[]): Promise<void> {
  for (const part of rowChunks(messages.map(toRow))) {
    await db
      .insertInto('messages')
      .values(part)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          contact_id: eb.ref('excluded.contact_id'),
          status: eb.ref('excluded.status'),
          history: eb.ref('excluded.history'),
          provider_message_id: eb.ref('excluded.provider_message_id'),
          error_code: eb.ref('excluded.error_code'),
          error_reason: eb.ref('excluded.error_reason'),
          attempts: eb.ref('excluded.attempts'),
          next_attempt_at: eb.ref('excluded.next_attempt_at'),
          lease_until: eb.ref('excluded.lease_until'),
          claimed_by: eb.ref('excluded.claimed_by'),
          unknown_attempts: eb.ref('excluded.unknown_attempts'),
          updated_at: eb.ref('excluded.updated_at'),
          sent_at: eb.ref('excluded.sent_at'),
          delivered_at: eb.ref('excluded.delivered_at'),
          read_at: eb.ref('excluded.read_at'),
          failed_at: eb.ref('excluded.failed_at'),
          replied_at: eb.ref('excluded.replied_at'),
        })),
      )
      .execute();
  }
}

export async function repointMessages(db: Db, storeId: string, from: string, into: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ contact_id: into })
    .where('store_id', '=', storeId)
    .where('contact_id', '=', from)
    .execute();
}

/**
 * Marketing messages sent to each contact since `since` (for the frequency cap); with
 * `includePending`, also those queued or being sent.
 */
export async function countMarketingSince(
  db: Db,
  storeId: string,
  contactIds: string[],
  since: number,
  includePending = false,
): Promise<Map<string, number>> {
  const statuses = includePending ? ['queued', 'sending', 'sent', 'delivered', 'read'] : ['sent', 'delivered', 'read'];
  const counts = new Map<string, number>();
  for (const part of inListChunks([...new Set(contactIds)])) {
    const rows = await db
      .selectFrom('messages')
      .select((eb) => ['contact_id', eb.fn.countAll<number>().as('n')])
      .where('store_id', '=', storeId)
      .where('contact_id', 'in', part)
      .where('category', '=', 'marketing')
      .where('created_at', '>=', since)
      .where('status', 'in', statuses)
      .groupBy('contact_id')
      .execute();
    for (const row of rows) counts.set(row.contact_id!, Number(row.n));
  }
  return counts;
}

/** Messages to a recipient sent by `at` and not yet read or failed (for read watermarks). */
export async function messagesSentTo(
  db: Db,
  storeId: string,
  channel: ChannelName,
  recipient: string,
  at: number,
): Promise<MessageRecord[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('channel', '=', channel)
    .where('recipient', '=', recipient)
    .where('status', 'in', ['sent', 'delivered'])
    .where('sent_at', '<=', at)
    .where('provider_message_id', 'is not', null)
    .limit(500)
    .execute();
  return rows.map(toMessage);
}

/**
 * Messages that waited for a suspended sender become due now (its credentials were replaced):
 * those held back while it was suspended, and those the provider refused with `senderCodes`.
 */
export async function releaseSuspended(
  db: Db,
  storeId: string,
  channel: ChannelName,
  now: number,
  senderCodes: string[],
): Promise<void> {
  await db
    .updateTable('messages')
    .set({ next_attempt_at: now, updated_at: now })
    .where('store_id', '=', storeId)
    .where('channel', '=', channel)
    .where('status', '=', 'queued')
    .where('error_code', 'in', ['SENDER_SUSPENDED', ...senderCodes])
    .execute();
}
