import type { Storage } from '../storage/database.js';
import { findContacts } from '../storage/contacts.js';
import type { WebhookResult } from './event-road.js';
import { type SendOptions, type SendResult, sendMessage } from './send.js';

/**
 * The reply a store may send when a shopper opts out with a keyword or a button (its
 * optOutConfirmation setting; off by default): a session message, on the channel they wrote
 * on, inside the 24-hour window their message just opened. One per opt-out message — the
 * idempotency key is its event — so a webhook delivered twice confirms once. What cannot go
 * (no sender, no window) is skipped: a courtesy, never a reason to refuse the webhook.
 */
export async function confirmOptOuts(
  storage: Storage,
  optOuts: WebhookResult['optOuts'],
  options: SendOptions,
  now: number,
): Promise<Extract<SendResult, { ok: true }>[]> {
  const queued: Extract<SendResult, { ok: true }>[] = [];
  for (const { store, event, contactId } of optOuts) {
    const text = store.settings.optOutConfirmation;
    if (!text) continue;
    const contact = (await findContacts(storage.db, store.id, [contactId])).get(contactId);
    if (!contact) continue;
    const sent = await sendMessage(
      storage,
      {
        store,
        contact,
        channel: event.source === 'messenger' ? 'messenger' : 'whatsapp',
        content: { text },
        source: 'consent',
        idempotencyKey: `consent:${event.eventId}`,
        now,
      },
      options,
    );
    if (sent.ok) queued.push(sent);
  }
  return queued;
}
