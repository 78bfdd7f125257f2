import type { ChannelAccount } from '../channels/channel.js';
import type { MessageRecord } from '../domain/messages.js';
import { capWindowStart, frequencyCapOf } from '../domain/frequency-cap.js';
import { channelAccountsOfStore } from '../storage/channel-accounts.js';
import { findContacts } from '../storage/contacts.js';
import type { Db } from '../storage/database.js';
import { countMarketingSince } from '../storage/messages.js';
import { findStoreById } from '../storage/stores.js';
import { checkSendRules, type SendRuleViolation } from './send-rules.js';

export interface BatchRules {
  /** by `${storeId}\u0000${channel}` */
  accounts: Map<string, ChannelAccount>;
  /** Messages that may not go now, and why. */
  violations: Map<string, SendRuleViolation>;
}

/**
 * The send rules for a claimed batch, checked with fresh data: the shopper may have opted out
 * or the window may have closed since the message was queued. Marketing messages in the batch
 * count towards the frequency cap in order, so two queued for one shopper cannot both slip in.
 */
export async function checkRulesForBatch(db: Db, messages: MessageRecord[], now: number): Promise<BatchRules> {
  const accounts = new Map<string, ChannelAccount>();
  const violations = new Map<string, SendRuleViolation>();
  for (const storeId of new Set(messages.map((m) => m.storeId))) {
    const ofStore = messages.filter((m) => m.storeId === storeId);
    for (const account of await channelAccountsOfStore(db, storeId))
      accounts.set(`${storeId}\u0000${account.channel}`, account);
    const store = await findStoreById(db, storeId);
    const cap = frequencyCapOf(store);
    const contactIds = ofStore.map((m) => m.contactId).filter((id): id is string => !!id);
    const contacts = await findContacts(db, storeId, contactIds);
    const marketingContacts = ofStore.filter((m) => m.category === 'marketing' && m.contactId).map((m) => m.contactId!);
    const counts = await countMarketingSince(db, storeId, marketingContacts, capWindowStart(cap, now));
    for (const message of ofStore) {
      const contact = message.contactId ? (contacts.get(message.contactId) ?? null) : null;
      const recent = message.contactId ? (counts.get(message.contactId) ?? 0) : 0;
      const violation = checkSendRules({
        channel: message.channel,
        kind: message.kind,
        category: message.category,
        contact,
        recentMarketing: recent,
        cap,
        now,
      });
      if (violation) violations.set(message.id, violation);
      else if (message.category === 'marketing' && message.contactId) counts.set(message.contactId, recent + 1);
    }
  }
  return { accounts, violations };
}
