import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fixture } from '../fixtures.js';
import { deliverWebhook, type DeliveryOptions, type DeliveryResult } from './deliver.js';
import { FaultQueue, graphErrorBody, parseJson, randomId, sendJson, startLoopback, type Fault } from './http.js';
import {
  flatStatusWebhook,
  inboundWebhook,
  statusWebhook,
  type FakeStatus,
  type InboundKind,
  type InboundOptions,
} from './whatsapp-webhooks.js';

/**
 * A fake WhatsApp Cloud API on loopback: `POST /{version}/{phone-number-id}/messages`. It checks
 * the token and the body roughly as Meta does, enforces the throughput limit per phone number
 * (a sliding one-second window) and, when asked, the pair limit per recipient, answers like
 * Meta (fixture shapes, fresh wamids, Meta's error bodies) and sends signed webhooks.
 */

export interface FakeWhatsAppOptions {
  /** the bearer token every call must carry (default 'test-access-token') */
  accessToken?: string;
  /** signs the webhooks the fake sends (default 'test-app-secret') */
  appSecret?: string;
  /** messages per second accepted per phone number id, over any 1 s window (default 80) */
  throughputPerSecond?: number;
  /** a second message to one recipient from one number within this many ms → 131056 (default 0: off) */
  pairLimitMs?: number;
  /** when set, other phone number ids are answered 400 / code 100 */
  phoneNumberIds?: string[];
  /** template names answered 132001 (template does not exist) */
  unknownTemplates?: string[];
  /** expected parameter count per template name; another count → 132000 */
  templateParamCounts?: Record<string, number>;
  /** recipients (as sent in `to`) answered 131026 (message undeliverable) */
  undeliverable?: string[];
  /** the clock windows and arrival times use, in ms (default performance.now) */
  now?: () => number;
  /**
   * Graph API versions served (default any); another is answered 400 / code 100, as an emulator
   * that serves only the current version (v24.0) answers an older one.
   */
  graphVersions?: string[];
}

export interface AcceptedWhatsApp {
  id: string;
  phoneNumberId: string;
  version: string;
  to: string;
  type: string;
  body: Record<string, any>;
  at: number;
}

export interface AnsweredWhatsApp {
  phoneNumberId: string;
  at: number;
  status: number;
  /** Meta's error code when the call was refused */
  code: number | null;
}

// Read once: the fake must keep up with 1,000 messages/s.
const THROTTLED = JSON.stringify(fixture('whatsapp/graph_error_response_130429.json'));
const ACCEPTED: Record<string, unknown> = fixture('whatsapp/send_template_response_accepted.json');

const WA_TYPES = new Set([
  'text',
  'template',
  'interactive',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
]);

export async function startFakeWhatsApp(options: FakeWhatsAppOptions = {}) {
  const token = options.accessToken ?? 'test-access-token';
  const appSecret = options.appSecret ?? 'test-app-secret';
  const now = options.now ?? (() => performance.now());
  const faults = new FaultQueue();
  const idPrefix = randomId(24);
  let seq = 0;
  const accepted: AcceptedWhatsApp[] = [];
  const answered: AnsweredWhatsApp[] = [];
  const windows = new Map<string, SlidingWindow>();
  const lastToRecipient = new Map<string, number>();
  const state = { throughputPerSecond: options.throughputPerSecond ?? 80, pairLimitMs: options.pairLimitMs ?? 0 };

  const refuse = (
    res: ServerResponse,
    phoneNumberId: string,
    status: number,
    code: number,
    message: string,
    extra = {},
  ) => {
    answered.push({ phoneNumberId, at: now(), status, code });
    sendJson(res, status, graphErrorBody(code, message, { messagingProduct: 'whatsapp', ...extra }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    if (faults.apply(req, res)) return;
    const match = /^\/(v\d+\.\d+)\/([^/?]+)\/messages(\?.*)?$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match)
      return sendJson(res, 404, graphErrorBody(100, `(#100) Unknown path components: ${req.url}`));
    const [, version, phoneNumberId] = match as unknown as [string, string, string];
    if (options.graphVersions && !options.graphVersions.includes(version))
      return refuse(res, phoneNumberId, 400, 100, `(#100) Unsupported API version ${version}`);
    if (req.headers.authorization !== `Bearer ${token}`) {
      answered.push({ phoneNumberId, at: now(), status: 401, code: 190 });
      return sendJson(res, 401, graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
    }
    if (options.phoneNumberIds && !options.phoneNumberIds.includes(phoneNumberId)) {
      return refuse(
        res,
        phoneNumberId,
        400,
        100,
        `Unsupported post request. Object with ID '${phoneNumberId}' does not exist`,
        { subcode: 33 },
      );
    }
    const body = parseJson(raw) as Record<string, any> | undefined;
    const problem = body && typeof body === 'object' ? invalid(body) : '(#100) The request body is not valid JSON';
    if (problem) return refuse(res, phoneNumberId, 400, 100, problem);
    const b = body as Record<string, any>;
    const type = (b.type as string | undefined) ?? 'text';
    if (type === 'template') {
      const name = b.template.name as string;
      const lang = b.template.language.code as string;
      if (options.unknownTemplates?.includes(name)) {
        return refuse(res, phoneNumberId, 404, 132001, '(#132001) Template name does not exist in the translation', {
          details: `template name (${name}) does not exist in ${lang}`,
        });
      }
      const expected = options.templateParamCounts?.[name];
      const given = countParams(b.template.components);
      if (expected !== undefined && expected !== given) {
        return refuse(
          res,
          phoneNumberId,
          400,
          132000,
          '(#132000) Number of parameters does not match the expected number of params',
          {
            details: `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
          },
        );
      }
    }
    if (options.undeliverable?.includes(b.to)) {
      return refuse(res, phoneNumberId, 400, 131026, '(#131026) Message undeliverable', {
        details: 'Message Undeliverable.',
      });
    }
    const at = now();
    const window = windows.get(phoneNumberId) ?? new SlidingWindow();
    windows.set(phoneNumberId, window);
    if (window.count(at) >= state.throughputPerSecond) {
      answered.push({ phoneNumberId, at, status: 400, code: 130429 });
      return sendJson(res, 400, THROTTLED);
    }
    const pairKey = `${phoneNumberId}>${b.to}`;
    const last = lastToRecipient.get(pairKey);
    if (state.pairLimitMs > 0 && last !== undefined && at - last < state.pairLimitMs) {
      return refuse(
        res,
        phoneNumberId,
        400,
        131056,
        '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        {
          details:
            'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
        },
      );
    }
    window.push(at);
    lastToRecipient.set(pairKey, at);
    const id = `wamid.${idPrefix}${(seq++).toString(36).padStart(8, '0')}`;
    accepted.push({ id, phoneNumberId, version, to: b.to, type, body: b, at });
    answered.push({ phoneNumberId, at, status: 200, code: null });
    const waId = String(b.to).replace(/^\+/, '');
    const messages = [{ id, ...(type === 'template' ? { message_status: 'accepted' } : {}) }];
    sendJson(res, 200, { ...ACCEPTED, contacts: [{ input: b.to, wa_id: waId }], messages });
  };

  const server = await startLoopback(handle);
  const deliver = (url: string, payload: unknown, o?: DeliveryOptions) => deliverWebhook(url, payload, appSecret, o);

  return {
    url: server.url,
    appSecret,
    accessToken: token,
    /** every message accepted, in arrival order */
    accepted,
    /** every call answered by the checks (not faults), in order */
    answered,
    /** how many calls were refused with 130429 */
    throttled: () => answered.filter((a) => a.code === 130429).length,
    setThroughput(perSecond: number) {
      state.throughputPerSecond = perSecond;
    },
    setPairLimit(ms: number) {
      state.pairLimitMs = ms;
    },
    /** the next `count` calls answer this status and body (e.g. graphErrorBody(131000, ...)) */
    failNext(count: number, status: number, body?: unknown, headers?: Record<string, string>) {
      faults.add(count, { kind: 'fail', status, body, headers } satisfies Fault);
    },
    /** the next `count` calls never get an answer (the client times out) */
    hangNext(count = 1) {
      faults.add(count, { kind: 'hang' });
    },
    /** the next `count` calls have their connection closed without an answer */
    dropNext(count = 1) {
      faults.add(count, { kind: 'drop' });
    },
    clearFaults: () => faults.clear(),
    /** one signed Cloud API webhook holding these statuses in this order (repeat one to duplicate it) */
    sendStatuses: (
      url: string,
      statuses: FakeStatus[],
      o: DeliveryOptions & { phoneNumberId?: string } = {},
    ): Promise<DeliveryResult> => deliver(url, statusWebhook(statuses, o.phoneNumberId), o),
    /** seed 000's flat On-Premises `{"statuses": [...]}` */
    sendFlatStatuses: (url: string, statuses: FakeStatus[], o?: DeliveryOptions) =>
      deliver(url, flatStatusWebhook(statuses), o),
    sendInbound: (url: string, kind: InboundKind, o: InboundOptions & DeliveryOptions = {}) =>
      deliver(url, inboundWebhook(kind, o), o),
    /** any payload, signed */
    sendWebhook: deliver,
    close: () => server.close(),
  };
}

export type FakeWhatsApp = Awaited<ReturnType<typeof startFakeWhatsApp>>;

/** Meta's checks on the fields every message needs; the message of Meta's answer, or null. */
function invalid(b: Record<string, any>): string | null {
  if (b.messaging_product !== 'whatsapp') return '(#100) The parameter messaging_product is required.';
  if (typeof b.to !== 'string' || !/^\+?\d{6,15}$/.test(b.to))
    return b.to ? '(#100) Invalid parameter: to' : '(#100) The parameter to is required.';
  const type = b.type ?? 'text';
  if (!WA_TYPES.has(type)) return `(#100) Param type must be one of {${[...WA_TYPES].join(', ')}} - got "${type}".`;
  if (typeof b[type] !== 'object' || b[type] === null) return `(#100) The parameter ${type} is required.`;
  if (type === 'text' && typeof b.text.body !== 'string') return "(#100) The parameter text['body'] is required.";
  if (type === 'template') {
    if (typeof b.template.name !== 'string' || b.template.name === '')
      return "(#100) The parameter template['name'] is required.";
    if (typeof b.template.language?.code !== 'string')
      return "(#100) The parameter template['language']['code'] is required.";
  }
  if (type === 'interactive' && typeof b.interactive.type !== 'string')
    return "(#100) The parameter interactive['type'] is required.";
  return null;
}

function countParams(components: unknown): number {
  if (!Array.isArray(components)) return 0;
  return components.reduce((n: number, c: any) => n + (Array.isArray(c?.parameters) ? c.parameters.length : 0), 0);
}

/** Arrival times of the last second, oldest first (times only grow on one clock). */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  count(at: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= at - 1000) this.head++;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  push(at: number): void {
    this.times.push(at);
  }
}
