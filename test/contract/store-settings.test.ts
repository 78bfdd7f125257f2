import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';

type Json = any;

/**
 * GET / PATCH /v1/store/settings: what a store sets about itself, with the store key. A PATCH
 * changes the fields it names and no others, refuses what cannot be used with the field's path,
 * and takes effect on the next request.
 */
describeEachDatabase('store settings', (target) => {
  const h = useHarness(target, { store: { name: 'Settings Shop', defaultCountry: 'IN', timeZone: 'Asia/Kolkata' } });
  const get = async (as = h.shop) => {
    const res = await h.get('/v1/store/settings', as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const patch = (body: unknown, as = h.shop) => h.call('PATCH', '/v1/store/settings', body, { as });

  it('shows every field with its default', async () => {
    expect(await get()).toEqual({
      name: 'Settings Shop',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
      optOutKeywords: ['STOP', 'UNSUBSCRIBE'],
      optInKeywords: ['START'],
      optOutConfirmation: null,
      rejectOrderTotalMismatch: false,
      marketingFrequencyCap: { max: 2, hours: 24 },
      logoUrl: null,
      accentColor: null,
    });
  });

  it('changes the fields given and keeps the others; the built-in keywords stay; another store is untouched', async () => {
    const other = await h.newStore({ name: 'Other Shop' });
    const res = await patch({
      name: '  Denim Co  ',
      defaultCountry: 'us',
      timeZone: 'America/New_York',
      optOutKeywords: ['Baja', 'stop', 'BAJA!'],
      optInKeywords: ['Alta'],
      optOutConfirmation: 'You are unsubscribed.',
      marketingFrequencyCap: { max: 3, hours: 48 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const expected = {
      name: 'Denim Co',
      defaultCountry: 'US',
      timeZone: 'America/New_York',
      optOutKeywords: ['STOP', 'UNSUBSCRIBE', 'Baja'],
      optInKeywords: ['START', 'Alta'],
      optOutConfirmation: 'You are unsubscribed.',
      rejectOrderTotalMismatch: false,
      marketingFrequencyCap: { max: 3, hours: 48 },
      logoUrl: null,
      accentColor: null,
    };
    expect(res.json()).toEqual(expected);
    expect(await get()).toEqual(expected);
    expect((await patch({ optOutConfirmation: null })).json()).toEqual({ ...expected, optOutConfirmation: null });
    expect((await get(other)).name).toBe('Other Shop');

    // The new country reads the next event's local phone numbers at once.
    const contact = await h.post('/v1/contacts', { customer_id: 'us-shopper', phone: '(212) 555-0142' });
    expect(contact.statusCode, contact.body).toBe(200);
    const created = (await h.get(`/v1/contacts/${contact.json().contacts[0].id}`)).json();
    expect(created.phone).toBe('+12125550142');
  });

  it('sets the branding of the public pages (logo URL, accent colour) and clears it with null', async () => {
    const shop = await h.newStore({ name: 'Brand Shop' });
    const res = await patch({ logoUrl: 'https://cdn.example/brand/logo.png', accentColor: '#0F766e' }, shop);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ logoUrl: 'https://cdn.example/brand/logo.png', accentColor: '#0F766e' });
    expect(await get(shop)).toMatchObject({ logoUrl: 'https://cdn.example/brand/logo.png', accentColor: '#0F766e' });
    // A PATCH of another field keeps them; null takes each away on its own.
    expect((await patch({ name: 'Brand Shop 2' }, shop)).json()).toMatchObject({ accentColor: '#0F766e' });
    const cleared = await patch({ logoUrl: null }, shop);
    expect(cleared.json()).toMatchObject({ logoUrl: null, accentColor: '#0F766e' });
    expect(await get(shop)).toMatchObject({ name: 'Brand Shop 2', logoUrl: null, accentColor: '#0F766e' });
    expect((await get()).logoUrl).toBeNull();
  });

  it('refuses a logo that is not an https URL and a colour that is not #rrggbb, naming the field', async () => {
    const before = await get();
    for (const [body, path, says] of [
      [{ logoUrl: 'http://cdn.example/logo.png' }, '/logoUrl', 'https://'],
      [{ logoUrl: 'javascript:alert(1)' }, '/logoUrl', 'https://'],
      [{ logoUrl: 'cdn.example/logo.png' }, '/logoUrl', 'https://'],
      [{ logoUrl: '' }, 'body/logoUrl', undefined],
      [{ logoUrl: `https://cdn.example/${'a'.repeat(2048)}` }, 'body/logoUrl', undefined],
      [{ accentColor: 'red' }, 'body/accentColor', undefined],
      [{ accentColor: '#fff' }, 'body/accentColor', undefined],
      [{ accentColor: '#12345g' }, '/accentColor', '#rrggbb'],
      [{ accentColor: 'fff0000' }, '/accentColor', '#rrggbb'],
      [{ accentColor: 255 }, 'body/accentColor', undefined],
      // One bad field refuses the whole PATCH: the good one is not kept either.
      [{ logoUrl: 'https://cdn.example/ok.png', accentColor: 'blue!!!' }, '/accentColor', '#rrggbb'],
    ] as const) {
      const res = await patch(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json().error;
      expect([error.code, error.details?.path], JSON.stringify(body)).toEqual(['VALIDATION_FAILED', path]);
      if (says) expect(error.message, JSON.stringify(body)).toContain(says);
    }
    expect(await get()).toEqual(before);
  });

  it('refuses what cannot be used, naming the field, and changes nothing', async () => {
    const before = await get();
    for (const [body, code, path] of [
      [{ colour: 'blue' }, 'VALIDATION_FAILED', 'body/colour'],
      [{ name: 'ok', optoutKeywords: ['x'] }, 'VALIDATION_FAILED', 'body/optoutKeywords'],
      [{ name: '' }, 'VALIDATION_FAILED', 'body/name'],
      [{ name: 42 }, 'VALIDATION_FAILED', 'body/name'],
      [{ defaultCountry: 'XX' }, 'INVALID_STORE', undefined],
      [{ timeZone: 'Mars/Olympus' }, 'INVALID_STORE', undefined],
      [{ optOutKeywords: ['!!!'] }, 'VALIDATION_FAILED', '/optOutKeywords'],
      [{ optOutKeywords: 'STOP' }, 'VALIDATION_FAILED', 'body/optOutKeywords'],
      [{ optInKeywords: ['stop'] }, 'VALIDATION_FAILED', '/optInKeywords'],
      [{ marketingFrequencyCap: { max: -1, hours: 24 } }, 'VALIDATION_FAILED', 'body/marketingFrequencyCap/max'],
      [{ rejectOrderTotalMismatch: 'yes' }, 'VALIDATION_FAILED', 'body/rejectOrderTotalMismatch'],
      [[], 'VALIDATION_FAILED', 'body'],
      ['not json', 'INVALID_JSON', undefined],
    ] as const) {
      const res = await patch(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json().error;
      expect(error.code, JSON.stringify(body)).toBe(code);
      if (path) expect(error.details.path, JSON.stringify(body)).toBe(path);
    }
    expect(await get()).toEqual(before);
  });

  it('needs the store key', async () => {
    for (const method of ['GET', 'PATCH'] as const) {
      const res = await h.call(method, '/v1/store/settings', method === 'PATCH' ? { name: 'x' } : undefined, {
        as: null,
      });
      expect(res.statusCode).toBe(401);
      const garbage = await h.call(method, '/v1/store/settings', method === 'PATCH' ? { name: 'x' } : undefined, {
        as: null,
        headers: { authorization: 'Bearer sw_key_garbage' },
      });
      expect(garbage.statusCode).toBe(401);
    }
  });

  it('is listed in /openapi.json with every field described', async () => {
    const doc = (await h.get('/openapi.json')).json() as Json;
    const patchBody = doc.paths['/v1/store/settings'].patch.requestBody.content['application/json'].schema;
    expect(Object.keys(patchBody.properties).sort()).toEqual(Object.keys(await get()).sort());
    for (const [name, field] of Object.entries(patchBody.properties as Record<string, Json>)) {
      expect(field.description, name).toBeTruthy();
    }
  });
});
