import Type from 'typebox';

const Status = Type.Union([Type.Literal('ACTIVE'), Type.Literal('INACTIVE')]);

/** A contact to create or update (seed 001 "Sync Contacts"), keyed by its identifiers. */
export const ContactInput = Type.Object({
  customer_id: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number(), Type.Null()])),
  name: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  attributes: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: 'Custom fields, merged key by key.' }),
  ),
  custom_fields: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Same as attributes.' })),
  source: Type.Optional(Type.String({ maxLength: 64 })),
  whatsapp_status: Type.Optional(Status),
  whatsapp_status_source: Type.Optional(Type.String({ maxLength: 64 })),
});

/** QuickReply's webhook shape: {"event": "new_contact" | "update_contact", "data": {...}}. */
export const ContactEnvelope = Type.Object({
  event: Type.Union([Type.Literal('new_contact'), Type.Literal('update_contact')]),
  data: ContactInput,
});

export const ContactsBody = Type.Union([
  ContactInput,
  ContactEnvelope,
  Type.Array(Type.Union([ContactInput, ContactEnvelope]), { maxItems: 1000 }),
  Type.Object({ contacts: Type.Array(Type.Union([ContactInput, ContactEnvelope]), { maxItems: 1000 }) }),
]);
