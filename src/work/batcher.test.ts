import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clock.js';
import { Batcher, type BatcherOptions } from './batcher.js';

/**
 * The batcher against a small transactional store: a commit writes all its items or none (an
 * item "bad" makes it fail), and it takes a turn of the event loop, like a database round trip.
 * The writers built on it (group commit, queue writer, send results) run it on both databases.
 */
function store() {
  const s = {
    rows: [] as string[],
    commits: [] as string[][],
    open: 0,
    maxOpen: 0,
    down: false,
    async commit(items: string[]): Promise<string[]> {
      s.open++;
      s.maxOpen = Math.max(s.maxOpen, s.open);
      await new Promise((resolve) => setImmediate(resolve));
      s.open--;
      s.commits.push(items);
      if (s.down) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      if (items.some((i) => i.startsWith('bad')))
        throw new Error(`cannot write ${items.find((i) => i.startsWith('bad'))}`);
      s.rows.push(...items);
      return items.map((i) => `ok:${i}`);
    },
  };
  return s;
}

const settle = <T>(promises: Promise<T>[]) =>
  Promise.allSettled(promises).then((all) =>
    all.map((r) => (r.status === 'fulfilled' ? r.value : `error:${(r.reason as Error).message}`)),
  );

function batcher(s: ReturnType<typeof store>, options: Partial<BatcherOptions<string, string>> = {}) {
  return new Batcher<string, string>({ name: 'test', commit: s.commit, failure: 'fail-all', ...options });
}

describe('Batcher', () => {
  it('commits what is submitted in one turn together, and answers each only after its commit', async () => {
    const s = store();
    const b = batcher(s);
    const answered: string[] = [];
    const all = ['a', 'b', 'c'].map((i) =>
      b.submit(i).then((r) => {
        expect(s.rows).toContain(i); // durable before answered
        answered.push(r);
        return r;
      }),
    );
    expect(s.commits).toEqual([]);
    await Promise.all(all);
    expect(s.commits).toEqual([['a', 'b', 'c']]);
    expect(answered).toEqual(['ok:a', 'ok:b', 'ok:c']);
    expect(b.stats).toMatchObject({ commits: 1, items: 3, weight: 3, failures: 0 });
    expect(b.queued).toBe(0);
  });

  it('commits one at a time: what arrives during a commit goes in the next', async () => {
    const s = store();
    const b = batcher(s);
    const first = b.submit('a');
    await new Promise((resolve) => setImmediate(resolve)); // the commit of 'a' has begun
    const later = [b.submit('b'), b.submit('c')];
    await Promise.all([first, ...later]);
    expect(s.commits).toEqual([['a'], ['b', 'c']]);
    expect(s.maxOpen).toBe(1);
  });

  it('keeps to the batch size and weight; an item heavier than a batch goes alone', async () => {
    const s = store();
    const b = batcher(s, { maxBatch: 3, weight: (i) => i.length, maxBatchWeight: 4 });
    await settle(['a', 'b', 'c', 'd', 'ee', 'fff', 'gggggg', 'h'].map((i) => b.submit(i)));
    expect(s.commits).toEqual([['a', 'b', 'c'], ['d', 'ee'], ['fff'], ['gggggg'], ['h']]);
    expect(b.stats.weight).toBe(16);
  });

  it('refuses beyond the queue bound with the overload error, and takes work again once answered', async () => {
    const s = store();
    const overloaded = () => Object.assign(new Error('too many waiting'), { code: 'SERVICE_UNAVAILABLE' });
    const b = batcher(s, { weight: (i) => i.length, maxQueuedWeight: 5, overloaded });
    const accepted = [b.submit('aa'), b.submit('bbb')];
    await expect(b.submit('c')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(b.stats.overloads).toBe(1);
    expect(b.queued).toBe(5);
    await Promise.all(accepted);
    expect(b.queued).toBe(0);
    await expect(b.submit('ccccc')).resolves.toBe('ok:ccccc');
    expect(s.rows).toEqual(['aa', 'bbb', 'ccccc']);
  });

  it('lingers on its clock for more items, commits a full batch at once, and drain cuts the linger', async () => {
    const clock = new ManualClock();
    const s = store();
    const b = batcher(s, { lingerMs: 10, maxBatch: 3, clock });
    const first = b.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.sleepers).toBe(1);
    clock.advance(9);
    const second = b.submit('b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.commits).toEqual([]);
    clock.advance(1);
    await Promise.all([first, second]);
    expect(s.commits).toEqual([['a', 'b']]);

    // Full: no waiting for the linger.
    await Promise.all(['c', 'd', 'e'].map((i) => b.submit(i)));
    expect(s.commits.at(-1)).toEqual(['c', 'd', 'e']);

    const lingering = b.submit('f');
    await b.drain();
    await lingering;
    expect(s.commits.at(-1)).toEqual(['f']);
    expect(clock.now()).toBe(Date.parse('2026-11-21T10:00:00Z') + 10);
  });

  it('split: one bad item fails alone, every good one is written', async () => {
    const s = store();
    const b = batcher(s, { failure: 'split' });
    const items = ['a', 'b', 'c', 'bad-d', 'e', 'f', 'g', 'h'];
    const results = await settle(items.map((i) => b.submit(i)));
    expect(results).toEqual(['ok:a', 'ok:b', 'ok:c', 'error:cannot write bad-d', 'ok:e', 'ok:f', 'ok:g', 'ok:h']);
    expect(s.rows.sort()).toEqual(['a', 'b', 'c', 'e', 'f', 'g', 'h']);
    // 1 shared + halves down to the bad one (log2 8 = 3 levels, 2 commits each).
    expect(s.commits).toHaveLength(7);
    expect(b.stats).toMatchObject({ commits: 3, items: 7, failures: 4 });
  });

  it('split: a lone failing item may keep its good parts (onLoneFailure commits them again)', async () => {
    const s = store();
    // An item is a comma-separated list of rows; its parts are its halves.
    const b = new Batcher<string, string>({
      name: 'parts',
      failure: 'split',
      commit: (items) => s.commit(items.flatMap((i) => i.split(','))).then(() => items.map((i) => `ok:${i}`)),
      onLoneFailure: async (item, _error, again) => {
        const rows = item.split(',');
        if (rows.length === 1) return `rejected:${item}`;
        const half = Math.ceil(rows.length / 2);
        const parts = await Promise.all([again(rows.slice(0, half).join(',')), again(rows.slice(half).join(','))]);
        return parts.join('+');
      },
    });
    expect(await b.submit('a,bad-b,c,d')).toBe('ok:a+rejected:bad-b+ok:c,d');
    expect(s.rows.sort()).toEqual(['a', 'c', 'd']);
  });

  it('split and each-alone: an unavailable database fails every item at once, none retried', async () => {
    for (const failure of ['split', 'each-alone'] as const) {
      const s = store();
      s.down = true;
      const b = batcher(s, {
        failure,
        commitOne: (i) => s.commit([i]).then(([r]) => r!),
        isUnavailable: (e) => (e as { code?: string }).code === 'ECONNREFUSED',
      });
      const results = await settle(['a', 'b', 'c'].map((i) => b.submit(i)));
      expect(results).toEqual(Array(3).fill('error:connection refused'));
      expect(s.commits).toEqual([['a', 'b', 'c']]);
    }
  });

  it('each-alone: a failed shared commit tries each item alone; a batch of one goes alone directly', async () => {
    const s = store();
    const alone: string[] = [];
    const b = batcher(s, {
      failure: 'each-alone',
      commitOne: async (i) => {
        alone.push(i);
        return (await s.commit([i]))[0]!;
      },
    });
    const results = await settle(['a', 'bad-b', 'c'].map((i) => b.submit(i)));
    expect(results).toEqual(['ok:a', 'error:cannot write bad-b', 'ok:c']);
    expect(alone).toEqual(['a', 'bad-b', 'c']);
    expect(s.rows).toEqual(['a', 'c']);

    alone.length = 0;
    expect(await b.submit('d')).toBe('ok:d');
    expect(alone).toEqual(['d']);
    expect(() => new Batcher({ name: 'x', commit: s.commit, failure: 'each-alone' })).toThrow(/commitOne/);
  });

  it('fail-all: every item of a failed commit gets its error; the next batch is on its own', async () => {
    const s = store();
    const b = batcher(s, { failure: 'fail-all' });
    const results = await settle(['a', 'bad-b'].map((i) => b.submit(i)));
    expect(results).toEqual(['error:cannot write bad-b', 'error:cannot write bad-b']);
    expect(await b.submit('c')).toBe('ok:c');
    expect(s.rows).toEqual(['c']);
    expect(b.stats).toMatchObject({ commits: 1, failures: 1 });
  });

  it('drain waits for everything submitted so far', async () => {
    const s = store();
    const b = batcher(s, { maxBatch: 2 });
    for (const i of ['a', 'b', 'c', 'd', 'e']) void b.submit(i);
    await b.drain();
    expect(s.rows).toEqual(['a', 'b', 'c', 'd', 'e']);
    await b.drain(); // idle: at once
  });
});
