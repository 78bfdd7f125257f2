import type { Db } from './database.js';

/**
 * Sender leases (migration 0005): a dispatcher paces a sender only while it holds the sender's
 * lease, so one process at a time sends for each WhatsApp number and its throughput is kept
 * across processes.
 */

/** How many senders each dispatcher other than `owner` holds at `now`: the numbers being paced, by worker. */
export async function countSendersByOwner(db: Db, now: number, owner: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sender_leases')
    .select((eb) => ['owner', eb.fn.countAll<string | number>().as('n')])
    .where('lease_until', '>=', now)
    .where('owner', '<>', owner)
    .groupBy('owner')
    .execute();
  return new Map(rows.map((r) => [r.owner, Number(r.n)]));
}

/** Gives up some of `owner`'s senders (more than its share): another worker may take them at once. */
export async function releaseSomeSenderLeases(db: Db, owner: string, senders: string[]): Promise<void> {
  if (senders.length === 0) return;
  await db.deleteFrom('sender_leases').where('owner', '=', owner).where('sender', 'in', senders).execute();
}

/** Senders another live dispatcher holds. */
export async function sendersLeasedByOthers(db: Db, owner: string, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('sender_leases')
    .select('sender')
    .where('owner', '<>', owner)
    .where('lease_until', '>=', now)
    .execute();
  return rows.map((r) => r.sender);
}

/**
 * Takes or renews the leases of `senders` until `until`: a sender free, lapsed or already ours
 * becomes ours. Returns the senders held now. On PostgreSQL two dispatchers taking one sender
 * at once are serialized by its row: the second sees the first's lease and does not get it.
 */
export async function takeSenderLeases(
  db: Db,
  owner: string,
  senders: string[],
  until: number,
  now: number,
): Promise<Set<string>> {
  if (senders.length === 0) return new Set();
  const rows = await db
    .insertInto('sender_leases')
    .values(senders.map((sender) => ({ sender, owner, lease_until: until })))
    .onConflict((oc) =>
      oc
        .column('sender')
        .doUpdateSet((eb) => ({ owner: eb.ref('excluded.owner'), lease_until: eb.ref('excluded.lease_until') }))
        .where((eb) => eb.or([eb('sender_leases.owner', '=', owner), eb('sender_leases.lease_until', '<', now)])),
    )
    .returning('sender')
    .execute();
  return new Set(rows.map((r) => r.sender));
}

/** Gives up every lease of `owner` (its dispatcher stopped): another may pace those senders at once. */
export async function releaseSenderLeases(db: Db, owner: string): Promise<void> {
  await db.deleteFrom('sender_leases').where('owner', '=', owner).execute();
}
