/** Messenger page webhook payloads (`{"object": "page", "entry": [{"id", "time", "messaging": [...]}]}`). */

export const FAKE_PAGE_ID = '1487925408000967';

export type MessagingEvent = Record<string, unknown>;

/** One page webhook holding these messaging events, in this order. */
export function pageWebhook(
  events: MessagingEvent[],
  pageId = FAKE_PAGE_ID,
  time = Date.now(),
): Record<string, unknown> {
  return { object: 'page', entry: [{ id: pageId, time, messaging: events }] };
}

interface Base {
  psid: string;
  pageId?: string;
  /** epoch ms; default now */
  at?: number;
}

const base = (o: Base) => ({
  sender: { id: o.psid },
  recipient: { id: o.pageId ?? FAKE_PAGE_ID },
  timestamp: o.at ?? Date.now(),
});

let counter = 0;
const mid = () => `m_fake${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Builders for the messaging events a page receives. */
export const messengerEvents = {
  text: (o: Base & { text: string; mid?: string; quickReply?: string; replyTo?: string }): MessagingEvent => ({
    ...base(o),
    message: {
      mid: o.mid ?? mid(),
      text: o.text,
      ...(o.quickReply !== undefined ? { quick_reply: { payload: o.quickReply } } : {}),
      ...(o.replyTo !== undefined ? { reply_to: { mid: o.replyTo } } : {}),
    },
  }),
  echo: (o: Base & { text: string; mid?: string }): MessagingEvent => ({
    sender: { id: o.pageId ?? FAKE_PAGE_ID },
    recipient: { id: o.psid },
    timestamp: o.at ?? Date.now(),
    message: { mid: o.mid ?? mid(), text: o.text, is_echo: true, app_id: 1517776481860111 },
  }),
  image: (o: Base & { url?: string; mid?: string }): MessagingEvent => ({
    ...base(o),
    message: {
      mid: o.mid ?? mid(),
      attachments: [{ type: 'image', payload: { url: o.url ?? 'https://example.com/a.jpg' } }],
    },
  }),
  postback: (o: Base & { title: string; payload: string; mid?: string | null }): MessagingEvent => ({
    ...base(o),
    postback: { title: o.title, payload: o.payload, ...(o.mid === null ? {} : { mid: o.mid ?? mid() }) },
  }),
  delivery: (o: Base & { mids: string[]; watermark?: number }): MessagingEvent => ({
    ...base(o),
    delivery: { mids: o.mids, watermark: o.watermark ?? o.at ?? Date.now() },
  }),
  read: (o: Base & { watermark?: number }): MessagingEvent => ({
    ...base(o),
    read: { watermark: o.watermark ?? o.at ?? Date.now() },
  }),
};
