import type { ChannelAccount, ChannelConfig, ChannelSecrets } from '../domain/channel-account.js';
import type { ChannelName } from '../domain/messages.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './database-errors.js';
import { parseJson, toJson } from './json.js';
import type { ChannelAccountsTable } from './schema.js';

function toAccount(row: ChannelAccountsTable): ChannelAccount {
  return {
    storeId: row.store_id,
    channel: row.channel as ChannelName,
    externalId: row.external_id,
    config: parseJson<ChannelConfig>(row.config, {}),
    secrets: parseJson<ChannelSecrets>(row.secrets, {}),
    status: row.status as ChannelAccount['status'],
    statusReason: row.status_reason,
  };
}

/** The store holding a provider id (accounts in conflict hold nothing), if any. */
export async function holderOfExternalId(db: Db, channel: ChannelName, externalId: string): Promise<string | null> {
  const row = await db
    .selectFrom('channel_accounts')
    .select('store_id')
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .where('status', '<>', 'conflict')
    .executeTakeFirst();
  return row?.store_id ?? null;
}

/**
 * Creates or replaces a store's account for a channel; a replaced account takes the status
 * given. 'taken' when another store holds the provider id (the unique index settles a race).
 */
export async function putChannelAccount(db: Db, account: ChannelAccount, now: number): Promise<'saved' | 'taken'> {
  const holder = await holderOfExternalId(db, account.channel, account.externalId);
  if (holder !== null && holder !== account.storeId) return 'taken';
  const row: ChannelAccountsTable = {
    store_id: account.storeId,
    channel: account.channel,
    external_id: account.externalId,
    config: toJson(account.config),
    secrets: toJson(account.secrets),
    status: account.status,
    status_reason: account.statusReason,
    created_at: now,
    updated_at: now,
  };
  try {
    await db
      .insertInto('channel_accounts')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['store_id', 'channel']).doUpdateSet((eb) => ({
          external_id: eb.ref('excluded.external_id'),
          config: eb.ref('excluded.config'),
          secrets: eb.ref('excluded.secrets'),
          status: eb.ref('excluded.status'),
          status_reason: eb.ref('excluded.status_reason'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken';
    throw error;
  }
  return 'saved';
}

/** Removes a store's account for a channel; whether there was one. Its provider id is free again. */
export async function deleteChannelAccount(db: Db, storeId: string, channel: ChannelName): Promise<boolean> {
  const result = await db
    .deleteFrom('channel_accounts')
    .where('store_id', '=', storeId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function getChannelAccount(db: Db, storeId: string, channel: ChannelName): Promise<ChannelAccount | null> {
  const row = await db
    .selectFrom('channel_accounts')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function channelAccountsOfStore(db: Db, storeId: string): Promise<ChannelAccount[]> {
  const rows = await db
    .selectFrom('channel_accounts')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('channel')
    .execute();
  return rows.map(toAccount);
}

/**
 * Accounts by the provider's id for them (phone number id, page id): how webhooks find their
 * store. At most one per id; accounts in conflict are never found.
 */
export async function accountsByExternalId(
  db: Db,
  channel: ChannelName,
  externalIds: string[],
): Promise<ChannelAccount[]> {
  if (externalIds.length === 0) return [];
  const rows = await db
    .selectFrom('channel_accounts')
    .selectAll()
    .where('channel', '=', channel)
    .where('external_id', 'in', [...new Set(externalIds)])
    .where('status', '<>', 'conflict')
    .execute();
  return rows.map(toAccount);
}

/** Every account of a channel that may receive webhooks (not those in conflict). */
export async function allAccountsOfChannel(db: Db, channel: ChannelName): Promise<ChannelAccount[]> {
  const rows = await db
    .selectFrom('channel_accounts')
    .selectAll()
    .where('channel', '=', channel)
    .where('status', '<>', 'conflict')
    .execute();
  return rows.map(toAccount);
}

export async function setAccountStatus(
  db: Db,
  storeId: string,
  channel: ChannelName,
  status: ChannelAccount['status'],
  reason: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('channel_accounts')
    .set({ status, status_reason: reason, updated_at: now })
    .where('store_id', '=', storeId)
    .where('channel', '=', channel)
    .execute();
}

/** Frees a provider id from the store that holds it, whichever that is; that store's id, or null. */
export async function releaseExternalId(db: Db, channel: ChannelName, externalId: string): Promise<string | null> {
  const holder = await holderOfExternalId(db, channel, externalId);
  if (holder === null) return null;
  await deleteChannelAccount(db, holder, channel);
  return holder;
}
