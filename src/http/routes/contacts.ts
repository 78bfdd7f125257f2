import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { identityKeyOf } from '../../domain/identity.js';
import { CONSENT_CHANGED } from '../../engine/consent.js';
import { ContactsBody } from '../../ingest/contact-sync-schema.js';
import { adaptContactSync } from '../../ingest/contact-sync.js';
import { getCart } from '../../storage/carts.js';
import { contactsPage, findContactByIdentity, getContact, identitiesOfContact } from '../../storage/contacts.js';
import type { Db } from '../../storage/database.js';
import { eventsOfContact } from '../../storage/events.js';
import { ordersOfContact } from '../../storage/orders.js';
import { storeOf } from '../auth.js';
import { batchIngestHandler } from '../batch-ingest.js';
import { csvLine } from '../csv.js';
import { presentContact, presentContactSummary } from '../presenters/contact.js';
import { sendError } from '../reply-error.js';
import { type ContactListQuery, searchContacts } from '../contact-search.js';
import { PagingQuery } from '../paging.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

const MAX_CONTACTS_PER_REQUEST = 1000;
const EXPORT_COLUMNS = [
  'id',
  'customer_id',
  'email',
  'phone',
  'name',
  'whatsapp_status',
  'whatsapp_status_source',
  'whatsapp_status_at',
  'created_at',
  'last_seen_at',
  'attributes',
];
const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export function contactRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;

  app.post('/v1/contacts', {
    schema: {
      summary: 'Create or update contacts (seed 001 "Sync Contacts")',
      tags: ['contacts'],
      security: bearerAuth,
      body: ContactsBody,
    },
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: batchIngestHandler(deps, {
      noun: 'contacts',
      source: 'contacts_api',
      adapt: adaptContactSync,
      successStatus: 200,
      maxItems: MAX_CONTACTS_PER_REQUEST,
      // Every sync applies (none is a duplicate); the answer names each contact by its index.
      extra: (answer) => ({
        duplicates: 0,
        upserted: answer.accepted,
        contacts: answer.outcomes.flatMap((o, index) => (o?.status === 'accepted' ? [{ index, id: o.contactId }] : [])),
      }),
    }),
  });

  app.get<{ Querystring: ContactListQuery }>('/v1/contacts', {
    schema: {
      summary:
        'Search contacts (q: phone, email or customer id by prefix, name by word), newest first; or the one with an identifier',
      tags: ['contacts'],
      security: bearerAuth,
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 200 })),
        ...PagingQuery,
        customer_id: Type.Optional(Type.String({ minLength: 1 })),
        email: Type.Optional(Type.String({ minLength: 1 })),
        phone: Type.Optional(Type.String({ minLength: 1 })),
        anonymous_id: Type.Optional(Type.String({ minLength: 1 })),
      }),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      const { customer_id, email, phone, anonymous_id } = request.query;
      if (!customer_id && !email && !phone && !anonymous_id) return searchContacts(deps.storage, store, request.query);
      const key = identityKeyOf(request.query, store.defaultCountry);
      const contact = key?.value
        ? await findContactByIdentity(db, store.id, { kind: key.kind, value: key.value })
        : null;
      return { contacts: contact ? [presentContactSummary(contact)] : [], next: null };
    },
  });

  app.get('/v1/contacts/export', {
    schema: { summary: 'Every contact of the store as CSV, streamed', tags: ['contacts'], security: bearerAuth },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="contacts-${store.id}.csv"`);
      return reply.send(Readable.from(exportRows(db, store.id)));
    },
  });

  app.get<{ Params: { id: string } }>('/v1/contacts/:id', {
    schema: {
      summary: 'A contact with identifiers, consent and its history, cart, recent events and orders',
      tags: ['contacts'],
      security: bearerAuth,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const contact = await getContact(db, store.id, request.params.id);
      if (!contact) return sendError(reply, 'CONTACT_NOT_FOUND', `no contact ${request.params.id} in this store`);
      const [identities, cart, events, orders, consent] = await Promise.all([
        identitiesOfContact(db, store.id, contact.id),
        getCart(db, store.id, contact.id),
        eventsOfContact(db, store.id, contact.id, { limit: 20 }),
        ordersOfContact(db, store.id, contact.id, 20),
        eventsOfContact(db, store.id, contact.id, { limit: 50, systemName: CONSENT_CHANGED }),
      ]);
      return presentContact({ contact, identities, cart, events, orders, consent });
    },
  });
}

/** Pages through the store's contacts so the export never holds more than a page in memory. */
async function* exportRows(db: Db, storeId: string): AsyncGenerator<string> {
  yield csvLine(EXPORT_COLUMNS);
  let after: string | null = null;
  for (;;) {
    const page = await contactsPage(db, storeId, after, 1000);
    if (page.length === 0) return;
    yield page
      .map((c) =>
        csvLine([
          c.id,
          c.customerId,
          c.email,
          c.phone,
          c.name,
          c.whatsappStatus,
          c.whatsappStatusSource,
          iso(c.whatsappStatusAt),
          iso(c.createdAt),
          iso(c.lastSeenAt),
          c.attributes,
        ]),
      )
      .join('');
    after = page[page.length - 1]!.id;
  }
}
