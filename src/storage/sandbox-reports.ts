import type { SelectQueryBuilder } from 'kysely';
import { newId } from '../domain/ids.js';
import { inListChunks, rowChunks } from './bulk.js';
import type { Db, Storage } from './database.js';
import { parseJson, toJson } from './json.js';
import type { SandboxReportsTable, Schema } from './schema.js';
import type { WorkScope } from './work-scope.js';

/** A status the sandbox will report for a message it "sent", when it falls due. */
export interface SandboxReport {
  storeId: string;
  messageId: string;
  providerMessageId: string;
  accountExternalId: string;
  recipientId: string | null;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Provider errors of a failed report ({ code, title, detail }). */
  errors: unknown[];
  dueAt: number;
  /** Its place among the message's reports (sent 0, delivered 1, read 2): the order when due at once. */
  ord: number;
}

/** A report taken to apply: its row id, to delete once applied. */
export interface ClaimedSandboxReport extends SandboxReport {
  id: string;
}

/** Rows for reports to come, in multi-row statements. */
export async function insertSandboxReports(db: Db, reports: SandboxReport[]): Promise<void> {
  const rows: SandboxReportsTable[] = reports.map((r) => ({
    id: newId('sbr'),
    store_id: r.storeId,
    message_id: r.messageId,
    provider_message_id: r.providerMessageId,
    account_external_id: r.accountExternalId,
    recipient_id: r.recipientId,
    status: r.status,
    errors: toJson(r.errors),
    due_at: r.dueAt,
    ord: r.ord,
    lease_until: null,
  }));
  for (const part of rowChunks(rows)) await db.insertInto('sandbox_reports').values(part).execute();
}

/** Only the reports of the scoped shopper's messages (storewire demo). */
function inScope<O>(
  qb: SelectQueryBuilder<Schema, 'sandbox_reports', O>,
  scope: WorkScope | undefined,
): SelectQueryBuilder<Schema, 'sandbox_reports', O> {
  if (!scope) return qb;
  return qb
    .where('store_id', '=', scope.storeId)
    .where('message_id', 'in', (sub) =>
      sub
        .selectFrom('messages')
        .select('id')
        .where('store_id', '=', scope.storeId)
        .where('contact_id', '=', scope.contactId),
    );
}

/**
 * Takes up to `limit` reports due by `now` that no live lease holds, in the order they fall
 * due, and leases them until `leaseUntil`: a feed that stops before deleting them leaves them
 * to be taken again. With several writers (PostgreSQL) the rows are picked FOR UPDATE SKIP
 * LOCKED, so two feeds take different rows.
 */
export async function claimDueSandboxReports(
  storage: Storage,
  options: { now: number; limit: number; leaseUntil: number; scope?: WorkScope | undefined },
): Promise<ClaimedSandboxReport[]> {
  const { now, limit, leaseUntil, scope } = options;
  const rows = await storage.transaction(async (trx) => {
    const due = inScope(
      trx
        .selectFrom('sandbox_reports')
        .select('id')
        .where('due_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)])),
      scope,
    )
      .orderBy('due_at')
      .orderBy('ord')
      .limit(limit)
      .$if(storage.concurrentWriters, (qb) => qb.forUpdate().skipLocked());
    return trx
      .updateTable('sandbox_reports')
      .set({ lease_until: leaseUntil })
      .where('id', 'in', due)
      .returningAll()
      .execute();
  });
  return rows
    .sort((a, b) => a.due_at - b.due_at || a.ord - b.ord)
    .map((row) => ({
      id: row.id,
      storeId: row.store_id,
      messageId: row.message_id,
      providerMessageId: row.provider_message_id,
      accountExternalId: row.account_external_id,
      recipientId: row.recipient_id,
      status: row.status as SandboxReport['status'],
      errors: parseJson<unknown[]>(row.errors, []),
      dueAt: row.due_at,
      ord: row.ord,
    }));
}

/** Reports applied: gone. */
export async function deleteSandboxReports(db: Db, ids: string[]): Promise<void> {
  for (const part of inListChunks(ids)) await db.deleteFrom('sandbox_reports').where('id', 'in', part).execute();
}

/** When the next report falls due (in scope), or null when none waits. */
export async function nextSandboxReportDue(db: Db, scope?: WorkScope): Promise<number | null> {
  const row = await inScope(
    db.selectFrom('sandbox_reports').select((eb) => eb.fn.min('due_at').as('next')),
    scope,
  ).executeTakeFirst();
  return row?.next === null || row?.next === undefined ? null : Number(row.next);
}

/** Drops the reports still to come of the scoped shopper's messages (the demo ends). Returns how many. */
export async function deleteSandboxReportsInScope(db: Db, scope: WorkScope): Promise<number> {
  const result = await db
    .deleteFrom('sandbox_reports')
    .where('store_id', '=', scope.storeId)
    .where('message_id', 'in', (sub) =>
      sub
        .selectFrom('messages')
        .select('id')
        .where('store_id', '=', scope.storeId)
        .where('contact_id', '=', scope.contactId),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
