import type { ChannelAccount } from '../channels/channel.js';
import type { MessageRecord } from '../domain/messages.js';
import type { ComposeError } from './compose.js';

/**
 * What queueing a message answers. A file of its own: the sender (send.ts) and the group
 * commit that writes for it (queue-writer.ts) both speak it, and neither imports the other's.
 */
export type SendResult =
  /** `account`: the account a message queued just now goes out through (absent for a duplicate). */
  | { ok: true; message: MessageRecord; duplicate: boolean; account?: ChannelAccount }
  | { ok: false; code: ComposeError; message: string; details?: Record<string, unknown> };
