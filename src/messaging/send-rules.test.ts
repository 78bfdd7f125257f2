import { describe, expect, it } from 'vitest';
import type { ContactRecord } from '../domain/records.js';
import { checkSendRules, type SendRuleInput } from './send-rules.js';

const contact = (extra: Partial<ContactRecord> = {}): ContactRecord => ({
  id: 'ct_1',
  customerId: null,
  email: null,
  phone: '+919800000001',
  name: null,
  attributes: {},
  whatsappStatus: 'ACTIVE',
  whatsappStatusSource: 'contacts_api',
  whatsappStatusAt: 0,
  createdAt: 0,
  updatedAt: 0,
  whatsappInboundAt: null,
  messengerInboundAt: null,
  messengerStatus: null,
  messengerStatusSource: null,
  messengerStatusAt: null,
  whatsappProfileName: null,
  ...extra,
});

const input = (extra: Partial<SendRuleInput>): SendRuleInput => ({
  channel: 'whatsapp',
  kind: 'template',
  category: 'marketing',
  contact: contact(),
  recentMarketing: 0,
  cap: { max: 2, hours: 24 },
  now: 1_000,
  ...extra,
});

describe('send rules and consent', () => {
  it('stops marketing after a STOP on every channel, and never utility', () => {
    const stopped = contact({ whatsappStatus: 'INACTIVE', messengerStatus: 'INACTIVE' });
    expect(checkSendRules(input({ contact: stopped }))?.code).toBe('NO_CONSENT');
    expect(checkSendRules(input({ contact: stopped, channel: 'sandbox' }))?.code).toBe('NO_CONSENT');
    expect(checkSendRules(input({ contact: stopped, channel: 'messenger' }))?.code).toBe('NO_CONSENT');
    expect(checkSendRules(input({ contact: stopped, category: 'utility' }))).toBeNull();
    expect(checkSendRules(input({ contact: stopped, channel: 'messenger', category: 'utility' }))).toBeNull();
  });

  it('lets Messenger marketing go when the shopper never said anything, or said START', () => {
    expect(
      checkSendRules(input({ channel: 'messenger', contact: contact({ whatsappStatus: 'INACTIVE' }) })),
    ).toBeNull();
    expect(checkSendRules(input({ channel: 'messenger', contact: contact({ messengerStatus: 'ACTIVE' }) }))).toBeNull();
  });
});
