import { rowChunks } from './bulk.js';
import { ownedByDeadWorker, type Liveness } from './workers.js';
import type { Db, Storage } from './database.js';
import type { WebhookDeliveriesTable } from './schema.js';

/**
 * The outbound webhook log and queue in one table. A row is pending until it is delivered or
 * given up (failed); a worker that is sending it holds a lease (lease_until) so no other worker
 * takes it, and every write of the outcome is conditional on still holding that lease.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: string;
  storeId: string;
  subscriptionId: string;
  type: string;
  /** The event payload as JSON text, sent as the body's `data` byte for byte. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

function toDelivery(row: WebhookDeliveriesTable): WebhookDelivery {
  return {
    id: row.id,
    storeId: row.store_id,
    subscriptionId: row.subscription_id,
    type: row.event_type,
    payload: row.payload,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

export interface NewDelivery {
  id: string;
  storeId: string;
  subscriptionId: string;
  type: string;
  /** JSON text */
  payload: string;
  createdAt: number;
}

/** Pending rows, due at once, in multi-row statements. */
export async function insertDeliveries(db: Db, deliveries: NewDelivery[]): Promise<void> {
  const rows: WebhookDeliveriesTable[] = deliveries.map((d) => ({
    id: d.id,
    store_id: d.storeId,
    subscription_id: d.subscriptionId,
    event_type: d.type,
    payload: d.payload,
    status: 'pending',
    attempts: 0,
    next_attempt_at: d.createdAt,
    lease_until: null,
    last_status_code: null,
    last_error: null,
    created_at: d.createdAt,
    delivered_at: null,
  }));
  for (const part of rowChunks(rows)) await db.insertInto('webhook_deliveries').values(part).execute();
}

export interface ClaimOptions {
  now: number;
  limit: number;
  /** The lease the claimed rows get; the outcome writes must present it. */
  leaseUntil: number;
  /** Subscriptions this worker already has enough deliveries in flight for. */
  excludeSubscriptions?: string[];
  /** The claiming worker and who counts as dead (work/presence.ts): a dead worker's deliveries are taken at once. */
  liveness?: Liveness;
}

/**
 * Takes up to `limit` due pending rows that no live lease holds, oldest due first, and leases
 * them. With several writers (PostgreSQL) the rows are picked FOR UPDATE SKIP LOCKED, so two
 * workers claiming at the same moment take different rows; SQLite has one writer at a time.
 */
export async function claimDueDeliveries(storage: Storage, options: ClaimOptions): Promise<WebhookDelivery[]> {
  if (options.limit <= 0) return [];
  const exclude = options.excludeSubscriptions ?? [];
  return storage.transaction(async (trx) => {
    const due = trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', options.now)
      .where((eb) =>
        eb.or([
          eb('lease_until', 'is', null),
          eb('lease_until', '<=', options.now),
          ...(options.liveness ? [ownedByDeadWorker('webhook_deliveries.lease_owner', options.liveness)] : []),
        ]),
      )
      .$if(exclude.length > 0, (qb) => qb.where('subscription_id', 'not in', exclude))
      .orderBy('next_attempt_at')
      .limit(options.limit)
      .$if(storage.concurrentWriters, (qb) => qb.forUpdate().skipLocked());
    const rows = await trx
      .updateTable('webhook_deliveries')
      .set({ lease_until: options.leaseUntil, lease_owner: options.liveness?.self ?? null })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.map(toDelivery);
  });
}

/** Gives claimed rows back untouched (the worker took more than it will send now). */
export async function releaseDeliveries(db: Db, ids: string[], leaseUntil: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ lease_until: null })
    .where('id', 'in', ids)
    .where('lease_until', '=', leaseUntil)
    .execute();
}

/** The receiver answered 2xx. False when the lease was lost (the row changed meanwhile). */
export async function recordDelivered(
  db: Db,
  id: string,
  leaseUntil: number,
  attempts: number,
  statusCode: number,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'delivered',
      attempts,
      last_status_code: statusCode,
      last_error: null,
      delivered_at: at,
      lease_until: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', leaseUntil)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface FailedAttempt {
  attempts: number;
  statusCode: number | null;
  error: string;
  /** When to try again; null gives the delivery up (status failed). */
  retryAt: number | null;
  at: number;
}

/** An attempt that did not get a 2xx: pending again later, or failed. False when the lease was lost. */
export async function recordFailedAttempt(
  db: Db,
  id: string,
  leaseUntil: number,
  attempt: FailedAttempt,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status: attempt.retryAt === null ? 'failed' : 'pending',
      attempts: attempt.attempts,
      last_status_code: attempt.statusCode,
      last_error: attempt.error.slice(0, 1000),
      next_attempt_at: attempt.retryAt ?? attempt.at,
      lease_until: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', leaseUntil)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Gives up a subscription's pending deliveries that no worker is sending right now (the
 * subscription was deleted or deactivated); a worker sending one records its own outcome.
 */
export async function failIdleDeliveriesOf(db: Db, subscriptionId: string, now: number, error: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: error, next_attempt_at: now })
    .where('status', '=', 'pending')
    .where('subscription_id', '=', subscriptionId)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .execute();
}

/** Deliveries a worker claimed whose subscription is gone: failed without a request. */
export async function failClaimed(db: Db, id: string, leaseUntil: number, error: string, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: error, next_attempt_at: now, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', leaseUntil)
    .execute();
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  type?: string;
  subscriptionId?: string;
  limit: number;
}

/** A store's delivery log, newest first. */
export async function deliveriesOfStore(db: Db, storeId: string, filter: DeliveryFilter): Promise<WebhookDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('store_id', '=', storeId)
    .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status!))
    .$if(filter.type !== undefined, (qb) => qb.where('event_type', '=', filter.type!))
    .$if(filter.subscriptionId !== undefined, (qb) => qb.where('subscription_id', '=', filter.subscriptionId!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(toDelivery);
}

export async function getDelivery(db: Db, storeId: string, id: string): Promise<WebhookDelivery | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toDelivery(row) : null;
}

/** A failed delivery, pending again and due now, with a fresh series of attempts. False when it was not failed. */
export async function requeueFailedDelivery(db: Db, storeId: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: null })
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
