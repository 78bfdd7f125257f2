import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startFakeWhatsApp } from '../test/support/fake-meta/index.js';

/**
 * The messaging benchmark's judge, in a process of its own: the test suite's fake WhatsApp Cloud
 * API limiting each phone number to THROUGHPUT messages in any sliding second (130429 beyond),
 * plus a control port the bench reads it through:
 *   GET /stats    → {accepted, throttled, refused, firstAt, lastAt, perSecond: [counts of each
 *                    second from firstAt], peakWindow: most messages accepted in any 1 s window,
 *                    throttledAt: [ms after firstAt of each 130429]}
 *   GET /arrivals → {arrivals: [[firstTemplateParameter, at, phoneNumberId], ...]} (the bench's join key)
 *   GET /refusals → {refusals: [[phoneNumberId, at, status, code], ...]} (every answer but a 200)
 *   GET /clock    → {now} (to check the two processes' clocks agree)
 * Times are wall-clock ms with sub-ms precision (performance.timeOrigin + performance.now()), so
 * they compare with the bench process's own.
 */
const wallNow = () => performance.timeOrigin + performance.now();
const fake = await startFakeWhatsApp({ throughputPerSecond: Number(process.env.THROUGHPUT ?? 80), now: wallNow });

function firstParameter(body: Record<string, any>): string | null {
  const components = body.template?.components;
  if (!Array.isArray(components)) return null;
  for (const component of components) {
    const text = component?.parameters?.[0]?.text;
    if (typeof text === 'string') return text;
  }
  return null;
}

function stats() {
  const times = fake.accepted.map((a) => a.at);
  const firstAt = times[0] ?? null;
  const perSecond: number[] = [];
  let peakWindow = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    const second = Math.floor((times[i]! - firstAt!) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
    while (times[j]! <= times[i]! - 1000) j++;
    peakWindow = Math.max(peakWindow, i - j + 1);
  }
  return {
    accepted: times.length,
    throttled: fake.throttled(),
    refused: fake.answered.filter((a) => a.status !== 200).length,
    firstAt,
    lastAt: times[times.length - 1] ?? null,
    perSecond: Array.from(perSecond, (n) => n ?? 0),
    peakWindow,
    /** when each 130429 was answered, ms after firstAt */
    throttledAt: fake.answered.filter((a) => a.code === 130429).map((a) => Math.round(a.at - (firstAt ?? 0))),
  };
}

const control = createServer((req, res) => {
  const send = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/clock') return send({ now: wallNow() });
  if (req.url === '/stats') return send(stats());
  if (req.url === '/arrivals')
    return send({ arrivals: fake.accepted.map((a) => [firstParameter(a.body), a.at, a.phoneNumberId]) });
  if (req.url === '/refusals')
    return send({
      refusals: fake.answered.filter((a) => a.status !== 200).map((a) => [a.phoneNumberId, a.at, a.status, a.code]),
    });
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
process.on('SIGTERM', () => {
  control.close();
  void fake.close().then(() => process.exit(0));
});
process.stdout.write(`fake whatsapp ${fake.url} control ${controlUrl}\n`);
