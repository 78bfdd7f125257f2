import { normalizeCustomerId, normalizeEmail } from '../domain/identity.js';
import { normalizePhone } from '../domain/phone.js';
import type { ContactProfile, Identity, Rejection, Warning } from '../domain/store-event.js';

type Raw = Record<string, unknown>;

/** Traits that name the shopper; every other trait of an identify call becomes an attribute. */
const NAMING_TRAITS = new Set(['email', 'phone', 'name', 'firstName', 'lastName', 'first_name', 'last_name']);

export type SegmentWho = { ok: true; identity: Identity; warnings: Warning[] } | { ok: false; error: Rejection };

const blank = (value: unknown) => value === undefined || value === null || value === '';

/**
 * userId -> customer id, anonymousId -> anonymous id, traits' email and phone (the phone read
 * with the store's country) -> identifiers. A bad email or phone is dropped with a warning when
 * another identifier names the shopper, and refuses the message when it was the only one.
 */
export function segmentIdentity(msg: Raw, traits: Raw | null, defaultCountry: string, withName: boolean): SegmentWho {
  const identity: Identity = {};
  const bad: Rejection[] = [];
  const customerId = normalizeCustomerId(msg.userId);
  if (customerId) identity.customerId = customerId;
  const anonymousId = normalizeCustomerId(msg.anonymousId);
  if (anonymousId) identity.anonymousId = anonymousId;

  if (traits) {
    if (!blank(traits.email)) {
      const email = normalizeEmail(traits.email);
      if (email) identity.email = email;
      else
        bad.push({
          code: 'INVALID_EMAIL',
          message: `"${String(traits.email)}" is not an email address`,
          path: '/traits/email',
        });
    }
    if (!blank(traits.phone)) {
      const phone =
        typeof traits.phone === 'string' || typeof traits.phone === 'number'
          ? normalizePhone(traits.phone, defaultCountry)
          : null;
      if (phone) identity.phone = phone;
      else
        bad.push({
          code: 'INVALID_PHONE',
          message: `"${String(traits.phone)}" is not a valid phone number for ${defaultCountry}`,
          path: '/traits/phone',
        });
    }
    const name = withName ? nameOf(traits) : null;
    if (name) identity.name = name;
  }

  if (!identity.customerId && !identity.anonymousId && !identity.email && !identity.phone) {
    return {
      ok: false,
      error: bad[0] ?? {
        code: 'NO_IDENTIFIER',
        message: 'a Segment message needs a userId or an anonymousId',
        path: '/userId',
      },
    };
  }
  return { ok: true, identity, warnings: bad.map((b) => ({ code: b.code, message: `${b.message}; ignored` })) };
}

/** traits.name, else firstName and lastName (camelCase as Segment reserves them, or snake_case). */
function nameOf(traits: Raw): string | null {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  const full = text(traits.name);
  if (full) return full;
  const parts = [
    text(traits.firstName) ?? text(traits.first_name),
    text(traits.lastName) ?? text(traits.last_name),
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}

/** An identify call's other traits become the contact's attributes (merged key by key). */
export function profileFromTraits(traits: Raw | null): ContactProfile | undefined {
  if (!traits) return undefined;
  const attributes: Raw = {};
  let any = false;
  for (const [key, value] of Object.entries(traits)) {
    if (NAMING_TRAITS.has(key) || value === undefined) continue;
    attributes[key] = value;
    any = true;
  }
  return any ? { attributes } : undefined;
}
