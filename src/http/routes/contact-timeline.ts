import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { contactEvents, contactMessages, type StreamPosition } from '../../storage/contact-timeline.js';
import { getContact } from '../../storage/contacts.js';
import { storeOf } from '../auth.js';
import { decodeCursor, encodeCursor, PagingQuery, pageLimit } from '../paging.js';
import { presentMessage } from '../presenters/message.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const iso = (at: number) => new Date(at).toISOString();

/** The cursor holds where each stream (events, messages) stopped: -1 / "" before its first item. */
function positions(after: string | undefined): { events: StreamPosition; messages: StreamPosition } {
  if (!after) return { events: null, messages: null };
  const [eventAt, eventId, messageAt, messageId] = decodeCursor(after, 'nsns') as [number, string, number, string];
  return {
    events: eventAt < 0 ? null : { at: eventAt, id: eventId },
    messages: messageAt < 0 ? null : { at: messageAt, id: messageId },
  };
}

/** A contact's events and messages as one timeline, newest first (docs/dashboard.md). */
export function contactTimelineRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;

  app.get<{ Params: { id: string }; Querystring: { limit?: string; after?: string } }>('/v1/contacts/:id/timeline', {
    schema: {
      summary: "A contact's events and messages in one timeline, newest first",
      tags: ['contacts'],
      security: bearerAuth,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      querystring: Type.Object(PagingQuery),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const limit = pageLimit(request.query.limit);
      const from = positions(request.query.after);
      const contact = await getContact(db, store.id, request.params.id);
      if (!contact) return sendError(reply, 'CONTACT_NOT_FOUND', `no contact ${request.params.id} in this store`);
      // Each stream gives up to limit + 1 items past its own position; the merge takes the newest.
      const [events, messages] = await Promise.all([
        contactEvents(db, store.id, contact.id, from.events, limit + 1),
        contactMessages(db, store.id, contact.id, from.messages, limit + 1),
      ]);
      const merged = [
        ...events.map((event) => ({ at: event.occurredAt, id: event.eventId, kind: 'event' as const, event })),
        ...messages.map((message) => ({ at: message.createdAt, id: message.id, kind: 'message' as const, message })),
      ].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      const page = merged.slice(0, limit);
      const lastEvent = page.findLast((item) => item.kind === 'event');
      const lastMessage = page.findLast((item) => item.kind === 'message');
      const eventsAt = lastEvent ?? (from.events ? { at: from.events.at, id: from.events.id } : null);
      const messagesAt = lastMessage ?? (from.messages ? { at: from.messages.at, id: from.messages.id } : null);
      return {
        items: page.map((item) =>
          item.kind === 'event'
            ? {
                kind: 'event',
                at: iso(item.at),
                event: {
                  id: item.event.eventId,
                  name: item.event.name,
                  subName: item.event.subName,
                  data: item.event.data,
                },
              }
            : {
                kind: 'message',
                at: iso(item.at),
                message: { ...presentMessage(item.message), payload: item.message.payload },
              },
        ),
        next:
          merged.length > limit
            ? encodeCursor([eventsAt?.at ?? -1, eventsAt?.id ?? '', messagesAt?.at ?? -1, messagesAt?.id ?? ''])
            : null,
      };
    },
  });
}
