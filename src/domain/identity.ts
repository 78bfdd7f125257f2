import { normalizePhone } from './phone.js';
import type { Identity, Warning } from './store-event.js';

export type IdentityKind = 'customer_id' | 'email' | 'phone' | 'psid' | 'anonymous_id';

export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

export interface RawIdentity {
  customerId?: unknown;
  email?: unknown;
  phone?: unknown;
  name?: unknown;
}

export type IdentityResult =
  | { ok: true; identity: Identity; warnings: Warning[] }
  | { ok: false; code: string; message: string; field: keyof RawIdentity | null };

// Deliberately loose: one "@" with text on both sides and a dot in the domain. Real validation
// happens when a message bounces; here we only refuse what cannot be an address.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const email = raw.trim().toLowerCase();
  return EMAIL.test(email) ? email : null;
}

/** Customer ids keep their case (seed 003 matches every identifier but email case-sensitively). */
export function normalizeCustomerId(raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return null;
  const id = raw.trim();
  return id === '' ? null : id;
}

/** Identifiers a request may name a shopper by (API field names). */
export interface NamedIdentifiers {
  customer_id?: unknown;
  email?: unknown;
  phone?: unknown;
  psid?: unknown;
  anonymous_id?: unknown;
}

/**
 * The one identifier a request names a shopper by (the first given of customer_id, email,
 * phone, psid, anonymous_id), normalised as events store it: the key to look the shopper up
 * with. `value` is null when the one given cannot be an identifier (a blank id, a malformed
 * email or phone); the answer is null when none is given.
 */
export function identityKeyOf(
  named: NamedIdentifiers,
  defaultCountry: string,
): { kind: IdentityKind; value: string | null } | null {
  if (named.customer_id !== undefined) return { kind: 'customer_id', value: normalizeCustomerId(named.customer_id) };
  if (named.email !== undefined) return { kind: 'email', value: normalizeEmail(named.email) };
  if (named.phone !== undefined) return { kind: 'phone', value: normalizePhone(named.phone, defaultCountry) };
  if (named.psid !== undefined)
    return { kind: 'psid', value: typeof named.psid === 'string' && named.psid !== '' ? named.psid : null };
  if (named.anonymous_id !== undefined) return { kind: 'anonymous_id', value: normalizeCustomerId(named.anonymous_id) };
  return null;
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

/**
 * Turns what a client sent into normalized identifiers. A malformed email or phone is dropped
 * with a warning when another identifier still names the shopper, and refused when it was the
 * only one, so an event is never stored against nobody.
 */
export function resolveIdentity(raw: RawIdentity, defaultCountry: string): IdentityResult {
  const identity: Identity = {};
  const warnings: Warning[] = [];
  const bad: { field: keyof RawIdentity; code: string; message: string }[] = [];

  const customerId = normalizeCustomerId(raw.customerId);
  if (customerId) identity.customerId = customerId;
  else if (!isBlank(raw.customerId)) {
    bad.push({
      field: 'customerId',
      code: 'INVALID_CUSTOMER_ID',
      message: 'customer id must be a non-empty string or number',
    });
  }

  if (!isBlank(raw.email)) {
    const email = normalizeEmail(raw.email);
    if (email) identity.email = email;
    else bad.push({ field: 'email', code: 'INVALID_EMAIL', message: `"${String(raw.email)}" is not an email address` });
  }

  if (!isBlank(raw.phone)) {
    const phone = normalizePhone(raw.phone, defaultCountry);
    if (phone) identity.phone = phone;
    else
      bad.push({
        field: 'phone',
        code: 'INVALID_PHONE',
        message: `"${String(raw.phone)}" is not a valid phone number for ${defaultCountry}`,
      });
  }

  if (typeof raw.name === 'string' && raw.name.trim() !== '') identity.name = raw.name.trim();

  if (!identity.customerId && !identity.email && !identity.phone) {
    if (bad[0]) return { ok: false, ...bad[0] };
    return {
      ok: false,
      code: 'NO_IDENTIFIER',
      message: 'the shopper needs a customer id, an email or a phone number',
      field: null,
    };
  }
  for (const b of bad) warnings.push({ code: b.code, message: `${b.message}; ignored` });
  return { ok: true, identity, warnings };
}

export function identityKeys(identity: Identity): IdentityKey[] {
  const keys: IdentityKey[] = [];
  if (identity.customerId) keys.push({ kind: 'customer_id', value: identity.customerId });
  if (identity.email) keys.push({ kind: 'email', value: identity.email });
  if (identity.phone) keys.push({ kind: 'phone', value: identity.phone });
  if (identity.psid) keys.push({ kind: 'psid', value: identity.psid });
  if (identity.anonymousId) keys.push({ kind: 'anonymous_id', value: identity.anonymousId });
  return keys;
}

export const keyString = (key: IdentityKey) => `${key.kind}:${key.value}`;
