import type { Db } from './database.js';
import type { MessageAttemptsTable } from './schema.js';
import { rowChunks } from './bulk.js';

/**
 * Every attempt to send a message (migration 0022): begun when a worker claims the message,
 * ended with what became of the call — sent (the provider's id), error (its code), or unknown
 * when the worker stopped before it knew. An attempt never made (the message went back to the
 * queue before its call) is deleted, as its count is taken back.
 */

export type AttemptOutcome = 'sent' | 'error' | 'unknown';

export interface AttemptRecord {
  attempt: number;
  worker: string | null;
  startedAt: number;
  endedAt: number | null;
  outcome: AttemptOutcome | null;
  providerMessageId: string | null;
  errorCode: string | null;
}

export interface AttemptStart {
  messageId: string;
  attempt: number;
  worker: string | null;
  at: number;
}

export interface AttemptEnd {
  messageId: string;
  attempt: number;
  outcome: AttemptOutcome;
  at: number;
  providerMessageId?: string | null;
  errorCode?: string | null;
}

type AttemptRow = MessageAttemptsTable;
type AttemptColumn = Exclude<keyof AttemptRow, 'message_id' | 'attempt'>;

/** Writes attempt rows, one statement per chunk; an attempt already there gets `update`'s columns from the new row. */
async function upsertAttempts(db: Db, rows: AttemptRow[], update: AttemptColumn[]): Promise<void> {
  for (const part of rowChunks(rows)) {
    await db
      .insertInto('message_attempts')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['message_id', 'attempt'])
          .doUpdateSet((eb) => Object.fromEntries(update.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .execute();
  }
}

/** Attempts begun (a claim); one given back and claimed again starts afresh under its number. */
export async function beginAttempts(db: Db, starts: AttemptStart[]): Promise<void> {
  const rows = starts.map((s) => ({
    message_id: s.messageId,
    attempt: s.attempt,
    worker: s.worker,
    started_at: s.at,
    ended_at: null,
    outcome: null,
    provider_message_id: null,
    error_code: null,
  }));
  await upsertAttempts(db, rows, ['worker', 'started_at', 'ended_at', 'outcome', 'provider_message_id', 'error_code']);
}

/** Attempts ended (the rows exist: their claim began them). */
export async function endAttempts(db: Db, ends: AttemptEnd[]): Promise<void> {
  const rows = ends.map((e) => ({
    message_id: e.messageId,
    attempt: e.attempt,
    worker: null,
    started_at: e.at,
    ended_at: e.at,
    outcome: e.outcome,
    provider_message_id: e.providerMessageId ?? null,
    error_code: e.errorCode ?? null,
  }));
  await upsertAttempts(db, rows, ['ended_at', 'outcome', 'provider_message_id', 'error_code']);
}

/** Attempts never made: the message went back to the queue before its call. */
export async function dropAttempts(db: Db, attempts: { messageId: string; attempt: number }[]): Promise<void> {
  for (const part of rowChunks(attempts)) {
    await db
      .deleteFrom('message_attempts')
      .where((eb) =>
        eb(
          eb.refTuple('message_id', 'attempt'),
          'in',
          part.map((a) => eb.tuple(a.messageId, a.attempt)),
        ),
      )
      .execute();
  }
}

/** A message's attempts, first first. */
export async function attemptsOf(db: Db, messageId: string): Promise<AttemptRecord[]> {
  const rows = await db
    .selectFrom('message_attempts')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('attempt')
    .execute();
  return rows.map((r) => ({
    attempt: Number(r.attempt),
    worker: r.worker,
    startedAt: Number(r.started_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    outcome: r.outcome as AttemptOutcome | null,
    providerMessageId: r.provider_message_id,
    errorCode: r.error_code,
  }));
}
