import { resolveIdentity } from '../domain/identity.js';
import { newId } from '../domain/ids.js';
import type { Adapted, StoreContext } from '../domain/store-event.js';
import { formatIsoUtc } from '../domain/time.js';
import { ContactInput } from './contact-sync-schema.js';
import { checker } from './validate.js';

const contactChecker = checker(ContactInput);
type Raw = Record<string, unknown>;
const ENVELOPE_EVENTS = new Set(['new_contact', 'update_contact']);

/**
 * A contact upsert is a system event (contact_synced): it goes through the same identity
 * resolution as every event, is kept in the history, and never shows as shopper activity.
 * Each sync is applied (no content dedup), since syncing A, B, then A again must end at A.
 */
export function adaptContactSync(raw: unknown, ctx: StoreContext, receivedAt: number): Adapted {
  const envelope = raw && typeof raw === 'object' && 'data' in (raw as Raw) && 'event' in (raw as Raw);
  const input = envelope ? (raw as Raw).data : raw;
  const base = envelope ? '/data' : '';
  if (envelope && !ENVELOPE_EVENTS.has((raw as Raw).event as string)) {
    return {
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '/event must be "new_contact" or "update_contact"', path: '/event' },
    };
  }
  const problem = contactChecker.check(input, base);
  if (problem) return { ok: false, error: problem };
  const contact = input as Raw;
  const who = resolveIdentity(
    { customerId: contact.customer_id, email: contact.email, phone: contact.phone, name: contact.name },
    ctx.defaultCountry,
  );
  if (!who.ok) {
    const field = who.field === 'customerId' ? 'customer_id' : who.field;
    return {
      ok: false,
      error: { code: who.code, message: who.message, path: field ? `${base}/${field}` : base || '/' },
    };
  }
  const attributes = { ...((contact.custom_fields as Raw) ?? {}), ...((contact.attributes as Raw) ?? {}) };
  if (typeof contact.source === 'string') attributes.source ??= contact.source;
  return {
    ok: true,
    event: {
      eventId: newId('cs', receivedAt),
      name: 'contact_synced',
      subName: null,
      kind: 'system',
      source: 'contacts_api',
      occurredAt: receivedAt,
      timestamp: formatIsoUtc(receivedAt),
      data: contact,
      identity: who.identity,
      products: [],
      profile: {
        ...(who.identity.name ? { name: who.identity.name } : {}),
        ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
      },
      ...(contact.whatsapp_status
        ? {
            consent: {
              whatsappStatus: contact.whatsapp_status as 'ACTIVE' | 'INACTIVE',
              source: (contact.whatsapp_status_source as string | undefined) ?? 'contacts_api',
            },
          }
        : {}),
      warnings: who.warnings,
    },
  };
}
