import type { ContactRecord, WhatsAppStatus } from '../domain/records.js';
import type { StoreEvent } from '../domain/store-event.js';
import { webhookEvent } from '../webhooks-out/event-types.js';
import type { WorkingSet } from './working-set.js';

/**
 * The event Storewire records on a contact whenever its marketing consent on a channel changes:
 * the contact's consent history (GET /v1/contacts/{id}), and a journey trigger.
 */
export const CONSENT_CHANGED = 'consent_changed';

type ConsentChannel = 'whatsapp' | 'messenger';

const FIELDS = {
  whatsapp: { status: 'whatsappStatus', source: 'whatsappStatusSource', at: 'whatsappStatusAt' },
  messenger: { status: 'messengerStatus', source: 'messengerStatusSource', at: 'messengerStatusAt' },
} as const;

/**
 * Applies an event's consent to the contact, channel by channel: a later statement wins (a
 * webhook delivered late changes nothing). Each channel whose status changes — or is stated
 * for the first time — gets a consent_changed event and a contact.consent_changed store
 * webhook, written in the same transaction.
 */
export function applyConsent(ws: WorkingSet, contactId: string, event: StoreEvent): void {
  const consent = event.consent;
  if (!consent) return;
  const current = ws.contact(contactId);
  const next: ContactRecord = { ...current };
  let touched = false;
  const changed: { channel: ConsentChannel; status: WhatsAppStatus; previous: WhatsAppStatus | null }[] = [];
  for (const channel of ['whatsapp', 'messenger'] as const) {
    const status = channel === 'whatsapp' ? consent.whatsappStatus : consent.messengerStatus;
    const f = FIELDS[channel];
    const statedAt = current[f.at];
    if (!status || (statedAt !== null && event.occurredAt < statedAt)) continue;
    if (current[f.status] !== status || statedAt === null)
      changed.push({ channel, status, previous: current[f.status] });
    touched ||= current[f.status] !== status || current[f.source] !== consent.source || statedAt !== event.occurredAt;
    Object.assign(next, { [f.status]: status, [f.source]: consent.source, [f.at]: event.occurredAt });
  }
  if (touched) ws.saveContact({ ...next, updatedAt: ws.now });

  const at = new Date(event.occurredAt).toISOString();
  for (const { channel, status, previous } of changed) {
    const eventId = `${event.eventId}:consent:${channel}`;
    const data = {
      channel,
      status,
      previousStatus: previous,
      source: consent.source,
      ...(consent.detail ? { detail: consent.detail } : {}),
      causedBy: event.eventId,
    };
    ws.changes.events.push({
      eventId,
      contactId,
      name: CONSENT_CHANGED,
      subName: channel,
      kind: 'system',
      source: event.source,
      occurredAt: event.occurredAt,
      timestamp: event.timestamp,
      receivedAt: ws.now,
      data,
    });
    ws.changes.webhooks.push(
      webhookEvent('contact.consent_changed', {
        eventId,
        contactId,
        channel,
        status,
        previousStatus: previous,
        source: consent.source,
        detail: consent.detail ?? null,
        at,
      }),
    );
  }
}
