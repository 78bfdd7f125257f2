import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { OrderRecord } from '../../domain/records.js';
import type { Store } from '../../domain/store.js';
import { trackingPageNdrChoice, trackingPageOptIn } from '../../ingest/tracking-page.js';
import { getContact } from '../../storage/contacts.js';
import { findOrderByTrackingToken } from '../../storage/orders.js';
import { shipmentsOfOrder } from '../../storage/shipments.js';
import { findStoreById } from '../../storage/stores.js';
import { currentNdr, latestEntry } from '../../domain/shipment-rules.js';
import type { RouteDeps } from '../route-deps.js';
import { checkFormToken, type FormAction } from '../tracking-page/form-token.js';
import { renderFormProblemPage, renderNotFoundPage, renderTrackingPage } from '../tracking-page/render.js';
import { choiceForLatestFailure, trackingView } from '../tracking-page/view.js';

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
type Params = { token: string };
type Form = Record<string, string | undefined>;

/** What ?done= and ?error= say after a form (fixed words: nothing from the URL is shown). */
const NOTICES: Record<string, { ok: boolean; text: string }> = {
  'done=whatsapp': { ok: true, text: 'Done: you will get updates about your orders on WhatsApp.' },
  'done=delivery': { ok: true, text: 'Thank you: your choice was sent to the shop.' },
  'error=whatsapp': {
    ok: false,
    text: 'We could not turn on WhatsApp updates for this order. Please contact the shop.',
  },
};

/** The page is personal: not cached, not indexed, its address not sent on to image hosts, no script at all. */
function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-security-policy',
      "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    .send(body);
}

/** A form posted from another site (its Origin is neither this host nor PUBLIC_URL). */
function fromAnotherSite(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return request.headers['sec-fetch-site'] === 'cross-site';
  try {
    const from = new URL(origin);
    return (
      from.host !== new URL(`${from.protocol}//${request.headers.host ?? ''}`).host &&
      from.origin !== new URL(publicUrl).origin
    );
  } catch {
    return true;
  }
}

/**
 * The hosted order-tracking page (seed 004's customer portal): PUBLIC_URL/t/<token>. Forms are
 * plain HTML posts answered with a redirect back to the page (so a reload does not post again).
 */
export async function trackingPageRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { db } = deps.storage;

  const load = async (token: string): Promise<{ store: Store; order: OrderRecord } | null> => {
    if (!TOKEN.test(token)) return null;
    const found = await findOrderByTrackingToken(db, token);
    const store = found ? await findStoreById(db, found.storeId) : null;
    return found && store ? { store, order: found.order } : null;
  };

  const showPage = async (token: string, request: FastifyRequest, reply: FastifyReply) => {
    const found = await load(token);
    if (!found) return html(reply, 404, renderNotFoundPage());
    const { store, order } = found;
    const [shipments, contact] = await Promise.all([
      shipmentsOfOrder(db, store.id, order.orderId),
      order.contactId ? getContact(db, store.id, order.contactId) : null,
    ]);
    const query = request.url.split('?')[1] ?? '';
    const view = trackingView({
      store,
      order,
      token,
      shipments,
      contact,
      notice: NOTICES[query] ?? null,
      now: deps.clock.now(),
    });
    return html(reply, 200, renderTrackingPage(view));
  };

  /** The checks every form goes through: a page that exists, a post from it, a fresh token; its nonce. */
  const takeForm = async (token: string, action: FormAction, request: FastifyRequest, reply: FastifyReply) => {
    const found = await load(token);
    if (!found) {
      await html(reply, 404, renderNotFoundPage());
      return null;
    }
    const form = (request.body ?? {}) as Form;
    const checked = checkFormToken(token, action, form.form_token, deps.clock.now());
    if (fromAnotherSite(request, deps.publicUrl) || !checked) {
      await html(
        reply,
        403,
        renderFormProblemPage(token, 'This form has expired. Open your order again and repeat your choice.'),
      );
      return null;
    }
    return { ...found, form, nonce: checked.nonce };
  };

  await app.register(async (scope) => {
    // Plain HTML forms post urlencoded bodies; only these routes read them so (elsewhere any body is JSON).
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    scope.get<{ Params: Params }>('/t/:token', {
      schema: { summary: "An order's public tracking page (HTML)", tags: ['tracking page'], params: TokenParams },
      handler: (request, reply) => showPage(request.params.token, request, reply),
    });

    scope.post<{ Params: Params }>('/t/:token/whatsapp', {
      schema: {
        summary: 'The tracking page\'s "Send me updates on WhatsApp" form',
        tags: ['tracking page'],
        params: TokenParams,
      },
      handler: async (request, reply) => {
        const { token } = request.params;
        const taken = await takeForm(token, 'whatsapp', request, reply);
        if (!taken) return reply;
        if (taken.form.subscribe !== '1')
          return html(reply, 400, renderFormProblemPage(token, 'Tick "Send me updates on WhatsApp", then save.'));
        const { store, order } = taken;
        const contact = order.contactId ? await getContact(db, store.id, order.contactId) : null;
        if (!contact?.phone) return reply.redirect(`/t/${token}?error=whatsapp`, 303);
        const [outcome] = await deps.engine.apply(store, [
          trackingPageOptIn({
            orderId: order.orderId,
            phone: contact.phone,
            email: contact.email,
            nonce: taken.nonce,
            now: deps.clock.now(),
          }),
        ]);
        const ok = outcome?.status === 'accepted' || outcome?.status === 'duplicate';
        return reply.redirect(`/t/${token}?${ok ? 'done' : 'error'}=whatsapp`, 303);
      },
    });

    scope.post<{ Params: Params }>('/t/:token/delivery', {
      schema: {
        summary: "The tracking page's failed-delivery choice form",
        tags: ['tracking page'],
        params: TokenParams,
      },
      handler: async (request, reply) => {
        const { token } = request.params;
        const taken = await takeForm(token, 'delivery', request, reply);
        if (!taken) return reply;
        const { store, order, form } = taken;
        const shipment = (await shipmentsOfOrder(db, store.id, order.orderId)).find(
          (s) => s.shipmentId === form.shipment,
        );
        const offered =
          shipment && latestEntry(shipment.log)?.status === 'failed_delivery' ? currentNdr(shipment.log) : null;
        const resolution = offered?.resolutions.find((r) => r.resolutionCode === form.resolution);
        if (shipment && choiceForLatestFailure(shipment))
          return html(
            reply,
            409,
            renderFormProblemPage(token, 'Your choice for this delivery was already sent to the shop.'),
          );
        if (!shipment || !resolution)
          return html(
            reply,
            409,
            renderFormProblemPage(token, 'That choice is no longer offered. Open your order again to see where it is.'),
          );
        const [outcome] = await deps.engine.apply(store, [
          trackingPageNdrChoice({
            orderId: order.orderId,
            shipmentId: shipment.shipmentId,
            resolutionCode: resolution.resolutionCode,
            action: resolution.action,
            nonce: taken.nonce,
            now: deps.clock.now(),
          }),
        ]);
        if (outcome?.status === 'accepted') deps.messaging.wake();
        return reply.redirect(`/t/${token}?done=delivery`, 303);
      },
    });
  });
}
