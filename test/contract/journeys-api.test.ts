import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { journeyKit } from '../support/journey-helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const template = (category: 'utility' | 'marketing', text = 'Hi {{1}}, a note from us.') => ({
  channel: 'whatsapp',
  language: 'en',
  category,
  body: { text },
  parameters: { 1: "{{ contact.first_name | default: 'there' }}" },
});

/** A journey of our own: one send after a wait, then a branch on whether it was read. */
const followUp = {
  name: 'Follow-up',
  trigger: { event: 'signup', when: [{ field: 'event.data.plan', op: 'eq', value: 'pro' }] },
  entry: { buffer: '0s', reentry: 'once' },
  steps: [
    { id: 'wait', type: 'wait', duration: '1h' },
    { id: 'hello', type: 'send', channel: 'whatsapp', template: 'hello' },
    { id: 'pause', type: 'wait', duration: '1d' },
    {
      id: 'was_read',
      type: 'branch',
      cases: [{ when: [{ message: 'hello', is: 'read' }], next: 'thanks' }],
      else: 'nudge',
    },
    { id: 'thanks', type: 'send', channel: 'whatsapp', template: 'thanks', next: 'end' },
    { id: 'nudge', type: 'send', channel: 'whatsapp', template: 'nudge' },
    { id: 'end', type: 'exit' },
  ],
};

/** The checkout partner's recent-events API (seed 001 step 5) on loopback, answering as told. */
class PartnerServer {
  server!: Server;
  answer: (req: IncomingMessage, body: string) => { status: number; body: string } | 'hang' = () => ({
    status: 200,
    body: '{"recent_events": []}',
  });
  requests: { url: string; body: string }[] = [];
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.requests.push({ url: req.url ?? '', body });
        const a = this.answer(req, body);
        if (a === 'hang') return;
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fetch-user-events`;
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describeEachDatabase(
  'journeys: definitions, versions, trigger API, simulation, quiet hours, partner exit check',
  (target) => {
    const clock = new ManualClock();
    const h = useHarness(target, { clock });
    const j = journeyKit(h, clock);
    const partner = new PartnerServer();
    beforeAll(() => partner.start());
    afterAll(() => partner.stop());

    const storeWithTemplates = async () => {
      const as = await j.store();
      for (const [name, category] of [
        ['hello', 'utility'],
        ['thanks', 'utility'],
        ['nudge', 'utility'],
        ['promo', 'marketing'],
      ] as const) {
        expect(
          (await h.call('PUT', `/v1/templates/${name}`, template(category, `Hi {{1}}, ${name}.`), { as })).statusCode,
        ).toBe(200);
      }
      return as;
    };
    const put = (as: Awaited<ReturnType<typeof storeWithTemplates>>, id: string, body: unknown) =>
      h.call('PUT', `/v1/journeys/${id}`, body, { as });

    it('refuses a definition that cannot run, naming the path of the problem', async () => {
      const as = await storeWithTemplates();
      const cases: [unknown, string, RegExp][] = [
        [
          {
            ...followUp,
            steps: [
              {
                id: 'a',
                type: 'branch',
                cases: [{ when: [{ field: 'event.data.x', op: 'eq', value: 1 }], next: 'nowhere' }],
              },
            ],
          },
          'steps[0].cases[0].next',
          /no step has the id "nowhere"/,
        ],
        [
          {
            ...followUp,
            steps: [
              { id: 'a', type: 'send', channel: 'whatsapp', template: 'hello', next: 'b' },
              { id: 'b', type: 'branch', cases: [{ when: [{ field: 'event.name', op: 'exists' }], next: 'a' }] },
            ],
          },
          'steps[0]',
          /loop without a wait/,
        ],
        [
          { ...followUp, steps: [{ id: 'a', type: 'send', channel: 'whatsapp', template: 'no_such' }] },
          'steps[0].template',
          /no template "no_such"/,
        ],
        [
          { ...followUp, steps: [{ id: 'a', type: 'send', channel: 'sms', template: 'hello' }] },
          'steps[0].channel',
          /whatsapp or messenger/,
        ],
        [{ ...followUp, steps: [{ id: 'a', type: 'wait', duration: 'soon' }] }, 'steps[0].duration', /duration/],
        [{ ...followUp, trigger: {} }, 'trigger.event', /names the event/],
        [{ ...followUp, steps: [{ id: 'a', type: 'teleport' }] }, 'steps[0].type', /one of wait, send/],
        [[1, 2], 'body', /JSON object/],
      ];
      for (const [body, path, message] of cases) {
        const res = await put(as, 'broken', body);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'JOURNEY_INVALID', details: { path } });
        expect(res.json().error.message).toMatch(message);
      }
      expect((await h.get('/v1/journeys/broken', as)).json().error.code).toBe('JOURNEY_NOT_FOUND');
    });

    it('versions: a shopper stays on the version they entered; new entries take the latest; a branch on "read" follows the message', async () => {
      const as = await storeWithTemplates();
      const v1 = await put(as, 'follow_up', { ...followUp, enabled: true });
      expect(v1.statusCode, v1.body).toBe(200);
      expect(v1.json()).toMatchObject({ id: 'follow_up', version: 1, enabled: true });
      const early = await j.shopper(as);
      const late = await j.shopper(as);
      const signup = (customerId: string, plan: string) =>
        h.post(
          '/v1/events',
          {
            event_id: `signup-${customerId}-${plan}`,
            event_name: 'signup',
            timestamp: new Date(clock.now()).toISOString(),
            customer: { customer_id: customerId },
            event_data: { plan },
          },
          as,
        );
      expect((await signup(early.customerId, 'free')).json().accepted).toBe(1);
      expect(await j.runs(as, 'follow_up', early.contactId)).toEqual([]);
      await signup(early.customerId, 'pro');
      // Version 2 says something else first; the shopper already in stays on version 1.
      const v2 = await put(as, 'follow_up', {
        ...followUp,
        steps: [
          { id: 'wait', type: 'wait', duration: '1h' },
          { id: 'hello', type: 'send', channel: 'whatsapp', template: 'thanks' },
        ],
      });
      expect(v2.json()).toMatchObject({ version: 2, enabled: true });
      await signup(late.customerId, 'pro');
      await j.pass(HOUR);
      const sent = await j.sent(as, 'follow_up', 'hello');
      expect(
        sent.map((m: { recipient: string; templateName: string }) => `${m.recipient}:${m.templateName}`).sort(),
      ).toEqual([`${early.phone}:hello`, `${late.phone}:thanks`].sort());
      expect((await j.runs(as, 'follow_up', early.contactId))[0].version).toBe(1);
      // The sandbox reports delivered at +1 s and read at +3 s: the branch then thanks the early shopper.
      await j.pass(25 * HOUR);
      expect((await j.sent(as, 'follow_up', 'thanks')).map((m: { recipient: string }) => m.recipient)).toEqual([
        early.phone,
      ]);
      expect(await j.sent(as, 'follow_up', 'nudge')).toEqual([]);
      // Re-entry "once": a second pro signup starts nothing.
      await h.post(
        '/v1/events',
        {
          event_id: 'again',
          event_name: 'signup',
          timestamp: new Date(clock.now()).toISOString(),
          customer: { customer_id: early.customerId },
          event_data: { plan: 'pro' },
        },
        as,
      );
      expect(await j.runs(as, 'follow_up', early.contactId)).toHaveLength(1);
    });

    it('the trigger API puts a named shopper in now, with data templates read; one active run at a time; a disabled journey refuses', async () => {
      const as = await storeWithTemplates();
      await h.call(
        'PUT',
        '/v1/templates/vip',
        {
          ...template('utility'),
          body: { text: 'Hi {{1}}, your code is {{2}}.' },
          parameters: { 1: "{{ contact.first_name | default: 'there' }}", 2: '{{ event.data.code }}' },
        },
        { as },
      );
      await put(as, 'vip', {
        name: 'VIP',
        trigger: { event: 'never_sent' },
        steps: [
          { id: 'code', type: 'send', channel: 'whatsapp', template: 'vip' },
          { id: 'wait', type: 'wait', duration: '1d' },
        ],
      });
      const shopper = await j.shopper(as);
      const disabled = await h.post(
        '/v1/journeys/vip/trigger',
        { to: { customer_id: shopper.customerId }, data: { code: 'GOLD-7' } },
        as,
      );
      expect(disabled.statusCode).toBe(409);
      expect(disabled.json().error.code).toBe('JOURNEY_DISABLED');
      await h.post('/v1/journeys/vip/enable', {}, as);
      const res = await h.post(
        '/v1/journeys/vip/trigger',
        { to: { customer_id: shopper.customerId }, data: { code: 'GOLD-7' } },
        as,
      );
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({
        journeyId: 'vip',
        contactId: shopper.contactId,
        status: 'active',
        stepId: 'code',
        dueAt: new Date(clock.now()).toISOString(),
      });
      await j.settle();
      const [message] = await j.sent(as, 'vip');
      expect(JSON.stringify((await h.get(`/v1/messages/${message.id}`, as)).json().payload)).toContain('GOLD-7');
      const again = await h.post('/v1/journeys/vip/trigger', { to: { customer_id: shopper.customerId } }, as);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toMatchObject({ code: 'JOURNEY_NOT_ENTERED', details: { reason: 'already_active' } });
      expect((await h.post('/v1/journeys/vip/trigger', { to: { customer_id: 'nobody' } }, as)).json().error.code).toBe(
        'CUSTOMER_NOT_FOUND',
      );
      expect(
        (await h.post('/v1/journeys/nope/trigger', { to: { customer_id: shopper.customerId } }, as)).json().error.code,
      ).toBe('JOURNEY_NOT_FOUND');
    });

    it('simulate shows the whole life of a journey for a shopper, rendered, and sends nothing', async () => {
      const as = await j.store();
      await h.post('/v1/journeys/cart_abandonment/enable', {}, as);
      await h.call('PUT', '/v1/journey-settings', { discountCode: 'SIM10' }, { as });
      const shopper = await j.shopper(as);
      await h.post('/v1/journeys/cart_abandonment/disable', {}, as);
      await j.event(as, 'add_to_cart', shopper.customerId);
      const t0 = clock.now();
      const res = await h.post(
        '/v1/journeys/cart_abandonment/simulate',
        { to: { customer_id: shopper.customerId } },
        as,
      );
      expect(res.statusCode, res.body).toBe(200);
      const timeline = res.json().timeline;
      expect(timeline.map((s: { stepId: string; action: string }) => `${s.stepId}:${s.action}`)).toEqual([
        'wait_1h:wait',
        'reminder_1:send',
        'wait_24h:wait',
        'reminder_2:send',
        'wait_72h:wait',
        'reminder_3:send',
      ]);
      expect(timeline[1].at).toBe(new Date(t0 + 15 * MINUTE + HOUR).toISOString());
      expect(timeline[5].at).toBe(new Date(t0 + 15 * MINUTE + 72 * HOUR).toISOString());
      expect(JSON.stringify(timeline[5].message.payload)).toContain('SIM10');
      expect(await j.sent(as, 'cart_abandonment')).toEqual([]);
      // A shopper who cannot get marketing: the simulation says so step by step.
      const noConsent = await j.shopper(as, { whatsapp_status: 'INACTIVE' });
      await j.event(as, 'add_to_cart', noConsent.customerId);
      const refused = (
        await h.post('/v1/journeys/cart_abandonment/simulate', { to: { customer_id: noConsent.customerId } }, as)
      ).json().timeline;
      expect(refused[1], JSON.stringify(refused[1])).toMatchObject({
        action: 'not_sent',
        message: { refused: 'NO_CONSENT' },
      });
    });

    it("the store's marketing frequency cap holds across journeys; a wait until a local time of day waits for the next one", async () => {
      const as = await storeWithTemplates();
      const cap = await h.call('PATCH', '/v1/store/settings', { marketingFrequencyCap: { max: 1, hours: 24 } }, { as });
      expect(cap.statusCode, cap.body).toBe(200);
      const promo = (name: string) => ({
        name,
        trigger: { event: 'visit' },
        entry: { buffer: '0s' },
        enabled: true,
        steps: [
          { id: 'morning', type: 'wait', until: '10:00' },
          { id: 'promo', type: 'send', channel: 'whatsapp', template: 'promo' },
        ],
      });
      await put(as, 'promo_a', promo('A'));
      await put(as, 'promo_b', promo('B'));
      const shopper = await j.shopper(as);
      // 20:00 in Kolkata: both wait for 10:00 tomorrow, local time.
      clock.set('2026-11-25T14:30:00Z');
      await h.post(
        '/v1/events',
        {
          event_id: 'visit-1',
          event_name: 'visit',
          timestamp: new Date(clock.now()).toISOString(),
          customer: { customer_id: shopper.customerId },
          event_data: {},
        },
        as,
      );
      await j.settle();
      for (const id of ['promo_a', 'promo_b'])
        expect((await j.runs(as, id, shopper.contactId))[0]).toMatchObject({
          stepId: 'morning',
          dueAt: '2026-11-26T04:30:00.000Z',
        });
      await j.pass(14 * HOUR);
      const sent = [...(await j.sent(as, 'promo_a')), ...(await j.sent(as, 'promo_b'))];
      expect(sent).toHaveLength(1);
      expect(sent[0].createdAt).toBe('2026-11-26T04:30:00.000Z');
      const outcomes = [];
      for (const id of ['promo_a', 'promo_b']) {
        const [run] = await j.runs(as, id, shopper.contactId);
        outcomes.push((await j.run(as, run.id)).steps.find((x: { stepId: string }) => x.stepId === 'promo'));
      }
      expect(outcomes.map((o) => `${o.outcome}:${o.detail}`).sort()).toEqual(['not_sent:FREQUENCY_CAP', 'sent:null']);
    });

    it("quiet hours hold a send until they end in the shopper's time zone (or skip it)", async () => {
      const as = await storeWithTemplates();
      await h.call('PUT', '/v1/journey-settings', { quietHours: { start: '21:00', end: '09:00' } }, { as });
      await put(as, 'quiet', {
        name: 'Quiet',
        trigger: { event: 'late_visit' },
        entry: { buffer: '0s' },
        enabled: true,
        steps: [{ id: 'hello', type: 'send', channel: 'whatsapp', template: 'hello' }],
      });
      await put(as, 'skipper', {
        name: 'Skipper',
        trigger: { event: 'late_visit' },
        entry: { buffer: '0s' },
        quietHours: { start: '21:00', end: '09:00', action: 'skip' },
        enabled: true,
        steps: [{ id: 'hello', type: 'send', channel: 'whatsapp', template: 'hello' }],
      });
      const shopper = await j.shopper(as);
      // 22:30 in Kolkata (the store's zone; the shopper has none of their own).
      clock.set('2026-11-25T17:00:00Z');
      await h.post(
        '/v1/events',
        {
          event_id: 'late-1',
          event_name: 'late_visit',
          timestamp: new Date(clock.now()).toISOString(),
          customer: { customer_id: shopper.customerId },
          event_data: {},
        },
        as,
      );
      await j.settle();
      expect(await j.sent(as, 'quiet')).toEqual([]);
      const [held] = await j.runs(as, 'quiet', shopper.contactId);
      expect(held).toMatchObject({ status: 'active', stepId: 'hello', dueAt: '2026-11-26T03:30:00.000Z' });
      expect(held.notes[0].note).toMatch(/quiet hours until 09:00 \(Asia\/Kolkata\)/);
      expect((await j.runs(as, 'skipper', shopper.contactId))[0]).toMatchObject({ status: 'completed' });
      await j.pass(10 * HOUR + 30 * MINUTE);
      const [sent] = await j.sent(as, 'quiet');
      expect(sent.createdAt).toBe('2026-11-26T03:30:00.000Z');
      expect(await j.sent(as, 'skipper')).toEqual([]);
    });

    it("the checkout partner's recent events end a run when the shopper moved on; a timeout or garbage applies the fallback and the run says why", async () => {
      const as = await j.store('cart_abandonment');
      const settings = (extra: Record<string, unknown>) =>
        h.call('PUT', '/v1/journey-settings', { partner: { url: partner.url, timeoutMs: 300, ...extra } }, { as });
      expect((await settings({ style: 'body' })).statusCode).toBe(200);
      const movedOn = await j.shopper(as);
      await j.event(as, 'add_to_cart', movedOn.customerId);
      const later = new Date(clock.now() + 10 * MINUTE).toISOString();
      partner.answer = () => ({
        status: 200,
        body: JSON.stringify({
          customer_id: movedOn.customerId,
          recent_events: [
            { event_name: 'checkout_started', timestamp: later },
            { event_name: 'cart_update', sub_event_name: 'add_to_cart', timestamp: '2024-10-09T06:30:35.858469+00:00' },
          ],
        }),
      });
      await j.pass(2 * HOUR);
      expect((await j.runs(as, 'cart_abandonment', movedOn.contactId))[0]).toMatchObject({
        status: 'exited',
        exitReason: 'partner:checkout_started',
      });
      expect(JSON.parse(partner.requests.at(-1)!.body)).toEqual({ customer_id: movedOn.customerId, event_count: 5 });
      expect(await j.sent(as, 'cart_abandonment')).toEqual([]);

      // Query style; the partner hangs: after the timeout the reminder goes anyway (fallback "send"), and the run records it.
      await settings({ style: 'query' });
      const hung = await j.shopper(as);
      partner.answer = () => 'hang';
      await j.event(as, 'add_to_cart', hung.customerId);
      await j.pass(2 * HOUR);
      expect(partner.requests.at(-1)!.url).toBe(`/fetch-user-events?customer_id=${hung.customerId}&event_count=5`);
      expect(await j.sent(as, 'cart_abandonment', 'reminder_1')).toHaveLength(1);
      const [hungRun] = await j.runs(as, 'cart_abandonment', hung.contactId);
      expect(hungRun.notes.map((n: { note: string }) => n.note)).toEqual([
        expect.stringMatching(/partner check failed \(no answer within 300 ms\); fallback send/),
      ]);

      // Garbage with fallback "exit": the run leaves, saying why.
      await settings({ fallback: 'exit' });
      const garbled = await j.shopper(as);
      partner.answer = () => ({ status: 200, body: '<html>oops</html>' });
      await j.event(as, 'add_to_cart', garbled.customerId);
      await j.pass(2 * HOUR);
      const [garbledRun] = await j.runs(as, 'cart_abandonment', garbled.contactId);
      expect(garbledRun).toMatchObject({ status: 'exited', exitReason: 'partner_unavailable' });
      expect(garbledRun.notes[0].note).toMatch(/not JSON/);
    });
  },
);
