import type { IncomingHttpHeaders } from 'node:http';
import { sendJson, startLoopback } from './http.js';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

/** A loopback endpoint that records what the fakes deliver (for tests of the fakes and channels alone). */
export async function startWebhookReceiver(status = 200) {
  const received: ReceivedWebhook[] = [];
  const server = await startLoopback((req, res, rawBody) => {
    received.push({ headers: req.headers, rawBody });
    sendJson(res, status, { ok: status < 300 });
  });
  return { url: `${server.url}/webhook`, received, close: () => server.close() };
}
