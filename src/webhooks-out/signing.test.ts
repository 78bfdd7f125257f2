import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deliveryBody, deliveryHeaders } from './request.js';
import { signWebhook, verifyWebhook } from './signing.js';

const secret = 'whsec_test-secret-of-some-length';

describe('webhook signatures', () => {
  it('are HMAC-SHA256 of "<timestamp>.<body>" in hex, as docs/webhooks.md tells receivers to compute', () => {
    const body = '{"id":"whd_1","data":{"a":1}}';
    const expected = createHmac('sha256', secret).update(`1763719200.${body}`).digest('hex');
    expect(signWebhook(secret, 1763719200, body)).toBe(`sha256=${expected}`);
    expect(signWebhook(secret, 1763719200, Buffer.from(body))).toBe(`sha256=${expected}`);
  });

  it('verify the exact bytes, the timestamp and the secret', () => {
    const body = '{"id":"whd_1","data":{"text":"नमस्ते"}}';
    const signature = signWebhook(secret, 1000, body);
    const check = (over: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret, body, signature, timestamp: '1000', nowSeconds: 1000, ...over });
    expect(check({})).toBe(true);
    expect(check({ body: Buffer.from(body) })).toBe(true);
    expect(check({ body: body.replace('1', '2') })).toBe(false);
    expect(check({ secret: `${secret}x` })).toBe(false);
    // The timestamp is signed: moving it to look fresh breaks the signature.
    expect(check({ timestamp: '1001', nowSeconds: 1001 })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ signature: signature.replace('sha256=', 'sha1=') })).toBe(false);
    expect(check({ timestamp: undefined })).toBe(false);
    expect(check({ timestamp: '1e3' })).toBe(false);
  });

  it('refuse a delivery older or newer than the tolerance (a replay)', () => {
    const body = '{}';
    const signature = signWebhook(secret, 1000, body);
    const at = (nowSeconds: number) => verifyWebhook({ secret, body, signature, timestamp: '1000', nowSeconds });
    expect(at(1300)).toBe(true);
    expect(at(1301)).toBe(false);
    expect(at(699)).toBe(false);
    expect(verifyWebhook({ secret, body, signature, timestamp: '1000', nowSeconds: 1400, toleranceSeconds: 600 })).toBe(
      true,
    );
  });
});

describe('a delivery request', () => {
  const delivery = {
    id: 'whd_01',
    type: 'order.created',
    storeId: 'st_01',
    createdAt: Date.parse('2026-11-21T10:00:00Z'),
    payload: '{"orderId":"o-1","total":55.5}',
  };

  it('has the body {id, type, storeId, createdAt, data} with the stored payload as data', () => {
    const body = deliveryBody(delivery);
    expect(JSON.parse(body)).toEqual({
      id: 'whd_01',
      type: 'order.created',
      storeId: 'st_01',
      createdAt: '2026-11-21T10:00:00.000Z',
      data: { orderId: 'o-1', total: 55.5 },
    });
    expect(body.endsWith(',"data":{"orderId":"o-1","total":55.5}}')).toBe(true);
  });

  it('names the event, the delivery and the time in headers, and signs the body it carries', () => {
    const body = deliveryBody(delivery);
    const headers = deliveryHeaders(delivery, secret, 1763719200, body);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'x-storewire-event': 'order.created',
      'x-storewire-delivery': 'whd_01',
      'x-storewire-timestamp': '1763719200',
    });
    expect(
      verifyWebhook({
        secret,
        body,
        signature: headers['x-storewire-signature'],
        timestamp: headers['x-storewire-timestamp'],
        nowSeconds: 1763719260,
      }),
    ).toBe(true);
  });
});

describe('the verification snippet in docs/webhooks.md', () => {
  it('accepts what Storewire sends and refuses a changed body, a wrong secret and an old timestamp', async () => {
    const doc = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
    const snippet = /```js\n(import \{ createHmac[\s\S]*?function verifyStorewireSignature[\s\S]*?)```/.exec(doc)?.[1];
    expect(snippet).toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'webhooks-doc-')), 'verify.mjs');
    writeFileSync(file, `${snippet}\nexport { verifyStorewireSignature };\n`);
    const { verifyStorewireSignature } = (await import(pathToFileURL(file).href)) as {
      verifyStorewireSignature: (secret: string, headers: Record<string, string>, rawBody: Buffer) => boolean;
    };

    const delivery = {
      id: 'whd_02',
      type: 'message.inbound',
      storeId: 'st_02',
      createdAt: Date.now(),
      payload: '{"text":"नमस्ते, is this in blue?"}',
    };
    const body = deliveryBody(delivery);
    const now = Math.floor(Date.now() / 1000);
    expect(verifyStorewireSignature(secret, deliveryHeaders(delivery, secret, now, body), Buffer.from(body))).toBe(
      true,
    );
    expect(
      verifyStorewireSignature(
        secret,
        deliveryHeaders(delivery, secret, now, body),
        Buffer.from(body.replace('blue', 'red')),
      ),
    ).toBe(false);
    expect(
      verifyStorewireSignature(
        'whsec_other-secret-value',
        deliveryHeaders(delivery, secret, now, body),
        Buffer.from(body),
      ),
    ).toBe(false);
    expect(
      verifyStorewireSignature(secret, deliveryHeaders(delivery, secret, now - 600, body), Buffer.from(body)),
    ).toBe(false);
  });
});
