import { expect, it } from 'vitest';
import { newMessage } from '../src/messaging/outbox.js';
import { insertMessages } from '../src/storage/messages.js';
import { ManualClock } from './support/clock.js';
import { describeEachDatabase } from './support/databases.js';
import { useHarness } from './support/harness.js';

/** The outbox's insert as the journey worker uses it: one batch of messages of several stores. */
describeEachDatabase('messages storage: a batch over several stores', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  const message = (storeId: string, key: string) =>
    newMessage(
      {
        storeId,
        contactId: null,
        channel: 'sandbox',
        sender: 'sandbox',
        recipient: '+919700000001',
        kind: 'text',
        category: 'utility',
        templateName: null,
        campaign: null,
        source: 'api',
        idempotencyKey: key,
        payload: { text: key },
      },
      clock.now(),
    );

  it('answers each repeated key with the message its own store queued under it', async () => {
    const [a, b] = [(await h.newStore({ name: 'A' })).store.id, (await h.newStore({ name: 'B' })).store.id];
    const first = await insertMessages(h.app.storage.db, [message(a, 'k-a'), message(b, 'k-b'), message(b, 'shared')]);
    expect(first.inserted).toHaveLength(3);

    // Store A's message comes first in the batch; the repeats of B's keys must still find B's messages.
    const again = await insertMessages(h.app.storage.db, [
      message(a, 'shared'),
      message(b, 'k-b'),
      message(b, 'shared'),
      message(a, 'k-a'),
    ]);
    expect(again.inserted.map((m) => [m.storeId, m.idempotencyKey])).toEqual([[a, 'shared']]);
    const ids = new Map(first.inserted.map((m) => [`${m.storeId}/${m.idempotencyKey}`, m.id]));
    expect(again.existing.map((m) => [m.storeId, m.idempotencyKey, m.id])).toEqual([
      [b, 'k-b', ids.get(`${b}/k-b`)],
      [b, 'shared', ids.get(`${b}/shared`)],
      [a, 'k-a', ids.get(`${a}/k-a`)],
    ]);
  });
});
