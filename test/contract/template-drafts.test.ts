import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';

type Json = any;

const draft = {
  channel: 'whatsapp',
  language: 'en',
  category: 'utility',
  body: { text: 'Hi {{first_name}}, your order is packed.' },
  parameters: { first_name: "{{ contact.first_name | default: 'there' }}" },
};

/** The dashboard's editor: a draft checked and previewed as it is typed, nothing stored. */
describeEachDatabase('template drafts: validate and preview before saving', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const validate = (name: string, body: unknown) => h.post(`/v1/templates/${encodeURIComponent(name)}/validate`, body);
  const preview = (name: string, body: unknown) => h.post(`/v1/templates/${encodeURIComponent(name)}/preview`, body);

  const contact = async () => {
    const res = await h.post('/v1/contacts', { customer_id: 'draft-1', name: 'Priya Sharma', phone: '+919811122233' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().contacts[0].id as string;
  };

  it('answers every problem PUT would, with its path, and stores nothing', async () => {
    const ok = await validate('packed', draft);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ valid: true, problems: [] });

    const broken = {
      ...draft,
      body: { text: 'Hi {{first_name}}, order {{order_number}} is packed.' },
      parameters: { first_name: '{{ contact.first_name', extra: '{{ order.id }}' },
    };
    const res = await validate('packed', broken);
    expect(res.statusCode).toBe(200);
    const put = await h.call('PUT', '/v1/templates/packed', broken);
    expect(put.statusCode).toBe(400);
    expect(res.json()).toEqual({ valid: false, problems: put.json().error.details.problems });
    const paths = res.json().problems.map((p: Json) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/parameters/order_number', '/parameters/first_name']));

    // The shape first: a half-typed draft is an answer, not a 400.
    expect((await validate('packed', { channel: 'whatsapp' })).json()).toMatchObject({
      valid: false,
      problems: [{ path: '', message: expect.stringContaining('language') }],
    });
    expect((await validate('Packed Order', draft)).json()).toEqual({
      valid: false,
      problems: [{ path: 'params/name', message: expect.stringContaining('lowercase letters') }],
    });
    expect((await h.get('/v1/templates/packed')).statusCode).toBe(404);
  });

  it('previews a draft with the real contact, and a bad draft or parameter is named', async () => {
    const contactId = await contact();
    const shown = await preview('packed', { contactId, definition: draft });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json().preview.body).toBe('Hi Priya, your order is packed.');
    expect((await h.get('/v1/templates/packed')).statusCode).toBe(404);

    const edited = await preview('packed', {
      contactId,
      definition: { ...draft, body: { text: 'Hello {{first_name}}! Packed and on its way.' } },
    });
    expect(edited.json().preview.body).toBe('Hello Priya! Packed and on its way.');

    const invalid = await preview('packed', {
      contactId,
      definition: { ...draft, parameters: { first_name: '{{ contact.first_name' } },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({
      code: 'TEMPLATE_INVALID',
      details: { path: '/parameters/first_name' },
    });

    const missing = await preview('packed', {
      contactId,
      definition: { ...draft, parameters: { first_name: '{{ order.id }}' } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'MISSING_PARAMETER', details: { parameter: 'first_name' } });
  });
});
