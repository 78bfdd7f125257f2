import type { ChannelName, MessageCategory, MessageKind } from '../domain/messages.js';
import type { ContactRecord } from '../domain/records.js';
import { capReached, type FrequencyCap } from '../domain/frequency-cap.js';

export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export type SendRuleCode = 'NO_CONSENT' | 'OUTSIDE_WINDOW' | 'FREQUENCY_CAP' | 'UNKNOWN_RECIPIENT';

export interface SendRuleViolation {
  code: SendRuleCode;
  message: string;
}

export interface SendRuleInput {
  channel: ChannelName;
  kind: MessageKind;
  category: MessageCategory;
  contact: ContactRecord | null;
  /** Marketing messages sent to the contact within the cap's period, this one not counted. */
  recentMarketing: number;
  cap: FrequencyCap;
  now: number;
}

const FREE_FORM: ReadonlySet<MessageKind> = new Set(['text', 'interactive', 'product']);

/**
 * May this message go now? Checked when it is asked for (so the caller hears at once) and
 * again just before it is sent (the shopper may have opted out in between).
 * - Marketing on WhatsApp needs the shopper's consent (WhatsApp status ACTIVE); on Messenger it
 *   goes unless the shopper stopped it (a STOP anywhere).
 * - Utility, authentication and service messages go whatever the consent: Meta allows the
 *   shopper's own order updates after a STOP.
 * - Free-form messages only inside the 24-hour customer-service window (the shopper wrote
 *   within the last 24 hours); templates may go any time.
 * - At most `cap.max` marketing messages per shopper per `cap.hours`.
 */
export function checkSendRules(input: SendRuleInput): SendRuleViolation | null {
  const { contact, now } = input;
  const whatsappLike = input.channel === 'whatsapp' || input.channel === 'sandbox';
  if (input.category === 'marketing') {
    if (whatsappLike && contact?.whatsappStatus !== 'ACTIVE') {
      return {
        code: 'NO_CONSENT',
        message: 'the shopper has not agreed to WhatsApp marketing (whatsapp status is not ACTIVE)',
      };
    }
    if (input.channel === 'messenger' && contact?.messengerStatus === 'INACTIVE') {
      return { code: 'NO_CONSENT', message: 'the shopper stopped marketing messages on Messenger' };
    }
    if (capReached(input.cap, input.recentMarketing)) {
      return {
        code: 'FREQUENCY_CAP',
        message: `the shopper already received ${input.recentMarketing} marketing messages in ${input.cap.hours} h (cap ${input.cap.max})`,
      };
    }
  }
  if (FREE_FORM.has(input.kind)) {
    const lastInbound = whatsappLike ? contact?.whatsappInboundAt : contact?.messengerInboundAt;
    if (!lastInbound || now - lastInbound > CUSTOMER_SERVICE_WINDOW_MS) {
      return {
        code: 'OUTSIDE_WINDOW',
        message: "free-form messages only go within 24 hours of the shopper's last message; send a template instead",
      };
    }
  }
  return null;
}
