import type { ChannelAccount } from '../channels/channel.js';
import { MESSENGER_SENDER_CODES, WHATSAPP_SENDER_CODES } from '../channels/graph-errors.js';
import { putChannelAccount } from '../storage/channel-accounts.js';
import type { Db } from '../storage/database.js';
import { releaseSuspended } from '../storage/messages.js';

/** The codes with which a provider refuses a sender itself (plus the HTTP and missing-credential ones). */
const SENDER_ERROR_CODES = [
  ...new Set([...WHATSAPP_SENDER_CODES, ...MESSENGER_SENDER_CODES].map(String)),
  'HTTP_401',
  'NO_ACCESS_TOKEN',
  'NO_PHONE_NUMBER_ID',
];

/**
 * Connects (or reconnects) a store's sender, as `PUT /v1/channels/<channel>` does: the account
 * is saved active, and messages that waited for it while it was suspended may go at once.
 * The caller wakes the dispatcher.
 */
export async function connectChannelAccount(db: Db, account: ChannelAccount, now: number): Promise<void> {
  await putChannelAccount(db, account, now);
  await releaseSuspended(db, account.storeId, account.channel, now, SENDER_ERROR_CODES);
}
