import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { normalizeShopDomain } from '../domain/shop-domain.js';
import { releaseExternalId } from '../storage/channel-accounts.js';
import { releaseLookupKey } from '../storage/connectors.js';
import { openStorage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';

export const CHANNELS_USAGE = `storewire channels release --channel whatsapp|messenger|shopify --id <provider id> [--json]

  Frees a provider id from the store that holds it (an abandoned store, a mistake), so that
  another store can connect it: a WhatsApp phone number id, a Messenger page id, or a Shopify
  shop domain (<shop>.myshopify.com). The holder's account is removed; its webhooks are no
  longer taken. Says which store held it.`;

const CHANNELS = ['whatsapp', 'messenger', 'shopify'] as const;
type ReleasableChannel = (typeof CHANNELS)[number];

function usage(message: string): number {
  process.stderr.write(`${message}\n\n${CHANNELS_USAGE}\n`);
  return 2;
}

/** storewire channels release: for an operator, what DELETE /v1/channels/{channel} is for a store. */
export async function channelsCommand(config: Config, argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'release') return usage(action ? `unknown action "${action}"` : 'which action?');
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        channel: { type: 'string' },
        id: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return usage((error as Error).message);
  }
  const channel = values.channel as ReleasableChannel | undefined;
  if (!channel || !CHANNELS.includes(channel)) return usage('--channel must be whatsapp, messenger or shopify');
  const rawId = values.id?.trim();
  if (!rawId) return usage('--id is required');
  const id = channel === 'shopify' ? normalizeShopDomain(rawId) : rawId;
  if (!id) return usage(`"${rawId}" is not a shop domain such as your-shop.myshopify.com`);

  const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    await migrateToLatest(storage);
    const heldBy =
      channel === 'shopify'
        ? await releaseLookupKey(storage.db, 'shopify', id)
        : await releaseExternalId(storage.db, channel, id);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ channel, id, released: heldBy !== null, storeId: heldBy })}\n`);
    } else if (heldBy) {
      process.stdout.write(`Released ${channel} ${id} from store ${heldBy}: another store may connect it now.\n`);
    } else {
      process.stdout.write(`No store holds ${channel} ${id}: nothing to release.\n`);
    }
    return 0;
  } finally {
    await storage.close();
  }
}
