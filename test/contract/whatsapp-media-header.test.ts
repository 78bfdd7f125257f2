import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit } from '../support/whatsapp-shop.js';

/**
 * A template's image, video or document header by the id of media uploaded to WhatsApp, as
 * well as by link: stored through PUT /v1/templates, sent to Meta as `{"id": …}`.
 */
describeEachDatabase('WhatsApp template media headers by media id', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);

  it('a document header by media id with its file name, and an image header whose parameter is a media id', async () => {
    const { shop, fake } = await wa.store();
    const { contactId } = await wa.shopper(shop);
    const invoice = {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      header: { format: 'document', id: '{{ params.invoice_media }}', filename: 'Invoice {{ params.number }}.pdf' },
      body: { text: 'Hi {{1}}, your invoice is attached.' },
      parameters: { 1: '{{ contact.first_name }}' },
    };
    const put = await h.call('PUT', '/v1/templates/invoice', invoice, { as: shop });
    expect(put.statusCode, put.body).toBe(200);
    const photo = {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      header: { format: 'image' },
      body: { text: 'Your parcel is packed.' },
      parameters: { header: '{{ params.photo }}' },
    };
    expect((await h.call('PUT', '/v1/templates/packed_photo', photo, { as: shop })).statusCode).toBe(200);

    const a = await wa.send(shop, contactId, 'invoice', {
      params: { invoice_media: '1166846181421424', number: 'A-17' },
    });
    const b = await wa.send(shop, contactId, 'packed_photo', { params: { photo: '2233445566' } });
    const preview = await h.post(
      '/v1/templates/invoice/preview',
      { contactId, params: { invoice_media: '1166846181421424', number: 'A-17' } },
      shop,
    );
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().preview.header).toEqual({
      format: 'document',
      id: '1166846181421424',
      filename: 'Invoice A-17.pdf',
    });
    expect((await wa.untilSettled(shop, a.id)).status).toBe('sent');
    expect((await wa.untilSettled(shop, b.id)).status).toBe('sent');
    const headers = fake.accepted.map((m) => m.body.template.components[0]);
    expect(headers).toEqual([
      {
        type: 'header',
        parameters: [{ type: 'document', document: { id: '1166846181421424', filename: 'Invoice A-17.pdf' } }],
      },
      { type: 'header', parameters: [{ type: 'image', image: { id: '2233445566' } }] },
    ]);

    const wrong = await h.post(
      '/v1/messages',
      { to: { contactId }, template: 'packed_photo', params: { photo: 'IMG_1.jpg' } },
      shop,
    );
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'INVALID_PARAMETER', details: { parameter: 'header' } });
  });
});
