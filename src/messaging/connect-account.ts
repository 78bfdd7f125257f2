import type { ChannelAccount } from '../channels/channel.js';
import { MESSENGER_SENDER_CODES, WHATSAPP_SENDER_CODES } from '../channels/graph-errors.js';
import { AppError } from '../errors.js';
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

const ID_NAMES: Record<string, string> = { whatsapp: 'phoneNumberId', messenger: 'pageId' };

/**
 * Connects (or reconnects) a store's sender, as `PUT /v1/channels/<channel>` does: the account
 * is saved active, and messages that waited for it while it was suspended may go at once.
 * A provider id another store holds is refused (PROVIDER_ID_TAKEN), without saying which
 * store. The caller wakes the dispatcher.
 */
export async function connectChannelAccount(db: Db, account: ChannelAccount, now: number): Promise<void> {
  if ((await putChannelAccount(db, account, now)) === 'taken') {
    const field = ID_NAMES[account.channel] ?? 'id';
    throw new AppError(
      'PROVIDER_ID_TAKEN',
      `${field} ${account.externalId} is connected to another store: its owner can release it (DELETE /v1/channels/${account.channel}), or an operator with "storewire channels release"`,
      { path: `/${field}`, channel: account.channel },
    );
  }
  await releaseSuspended(db, account.storeId, account.channel, now, SENDER_ERROR_CODES);
}
