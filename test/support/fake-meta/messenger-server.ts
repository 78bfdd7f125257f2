import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { deliverWebhook, type DeliveryOptions } from './deliver.js';
import { FaultQueue, graphErrorBody, parseJson, randomId, sendJson, startLoopback } from './http.js';
import { FAKE_PAGE_ID, pageWebhook, type MessagingEvent } from './messenger-webhooks.js';

/**
 * A fake Messenger Send API on loopback: `POST /{version}/{page-id|me}/messages?access_token=…`.
 * Checks the token and the body, refuses unknown PSIDs as Meta does (100 / 2018001), answers
 * `{recipient_id, message_id}` and sends signed page webhooks.
 */

export interface FakeMessengerOptions {
  /** the page access token every call must carry as ?access_token= (default 'test-page-token') */
  accessToken?: string;
  /** signs the webhooks the fake sends (default 'test-app-secret') */
  appSecret?: string;
  /** the page the token belongs to (default seed 002's page id); `/me/messages` means it */
  pageId?: string;
  /** PSIDs that exist for this page; when set, any other → 100 / 2018001 "No matching user found" */
  knownPsids?: string[];
  /** PSIDs answered 551 "This person isn't available right now" */
  unavailablePsids?: string[];
  /** the clock arrival times use, in ms (default performance.now) */
  now?: () => number;
  /** Graph API versions served (default any); another is answered 400 / code 100 */
  graphVersions?: string[];
}

export interface AcceptedMessenger {
  id: string;
  pageId: string;
  version: string;
  psid: string;
  body: Record<string, any>;
  at: number;
}

const MESSAGING_TYPES = new Set(['RESPONSE', 'UPDATE', 'MESSAGE_TAG']);

export async function startFakeMessenger(options: FakeMessengerOptions = {}) {
  const token = options.accessToken ?? 'test-page-token';
  const appSecret = options.appSecret ?? 'test-app-secret';
  const pageId = options.pageId ?? FAKE_PAGE_ID;
  const now = options.now ?? (() => performance.now());
  const faults = new FaultQueue();
  const accepted: AcceptedMessenger[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    if (faults.apply(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(url.pathname);
    if (req.method !== 'POST' || !match)
      return sendJson(res, 404, graphErrorBody(100, `(#100) Unknown path components: ${url.pathname}`));
    const version = match[1]!;
    if (options.graphVersions && !options.graphVersions.includes(version))
      return sendJson(res, 400, graphErrorBody(100, `(#100) Unsupported API version ${version}`));
    if (url.searchParams.get('access_token') !== token) {
      return sendJson(res, 400, graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
    }
    const target = match[2] === 'me' ? pageId : match[2]!;
    if (target !== pageId) {
      return sendJson(
        res,
        400,
        graphErrorBody(100, `(#100) Unsupported post request. Object with ID '${target}' does not exist`, {
          subcode: 33,
        }),
      );
    }
    const body = parseJson(raw) as Record<string, any> | undefined;
    const problem = body && typeof body === 'object' ? invalid(body) : '(#100) The request body is not valid JSON';
    if (problem) return sendJson(res, 400, graphErrorBody(100, problem));
    const b = body as Record<string, any>;
    const psid = String(b.recipient.id);
    if (options.unavailablePsids?.includes(psid)) {
      return sendJson(res, 400, graphErrorBody(551, "This person isn't available right now.", { subcode: 1545041 }));
    }
    if (options.knownPsids && !options.knownPsids.includes(psid)) {
      return sendJson(res, 400, graphErrorBody(100, '(#100) No matching user found', { subcode: 2018001 }));
    }
    const id = `m_${randomId(60)}`;
    accepted.push({ id, pageId, version, psid, body: b, at: now() });
    sendJson(res, 200, { recipient_id: psid, message_id: id });
  };

  const server = await startLoopback(handle);

  return {
    url: server.url,
    pageId,
    appSecret,
    accessToken: token,
    /** every message accepted, in arrival order */
    accepted,
    /** the next `count` calls answer this status and body */
    failNext(count: number, status: number, body?: unknown, headers?: Record<string, string>) {
      faults.add(count, { kind: 'fail', status, body, headers });
    },
    hangNext(count = 1) {
      faults.add(count, { kind: 'hang' });
    },
    dropNext(count = 1) {
      faults.add(count, { kind: 'drop' });
    },
    clearFaults: () => faults.clear(),
    /** one signed page webhook holding these events (see messengerEvents) */
    sendEvents: (url: string, events: MessagingEvent[], o: DeliveryOptions = {}) =>
      deliverWebhook(url, pageWebhook(events, pageId), appSecret, o),
    /** any payload, signed */
    sendWebhook: (url: string, payload: unknown, o: DeliveryOptions = {}) => deliverWebhook(url, payload, appSecret, o),
    close: () => server.close(),
  };
}

export type FakeMessenger = Awaited<ReturnType<typeof startFakeMessenger>>;

function invalid(b: Record<string, any>): string | null {
  if (typeof b.recipient?.id !== 'string' && typeof b.recipient?.id !== 'number')
    return '(#100) The parameter recipient is required';
  if (!MESSAGING_TYPES.has(b.messaging_type))
    return '(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}';
  if (b.messaging_type === 'MESSAGE_TAG' && typeof b.tag !== 'string')
    return '(#100) Tag is required for MESSAGE_TAG messaging type';
  if (b.message === undefined && b.sender_action === undefined)
    return '(#100) Must send either message or sender_action';
  if (b.message !== undefined && b.message?.text === undefined && b.message?.attachment === undefined) {
    return '(#100) Message cannot be empty, must provide valid attachment or text';
  }
  return null;
}
