import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clock.js';
import { BackgroundLoop, type TurnResult } from './background-loop.js';

/** A turn that counts itself and answers what the test says; it can be held open. */
function worker(answer: () => TurnResult | Promise<TurnResult> = () => 'idle') {
  const w = {
    turns: 0,
    hold: null as Promise<void> | null,
    async turn(): Promise<TurnResult> {
      w.turns++;
      if (w.hold) await w.hold;
      return answer();
    },
  };
  return w;
}

const IDLE = 250;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BackgroundLoop on the virtual clock', () => {
  it('looks once, then once per idle poll, and not before', async () => {
    const clock = new ManualClock();
    const w = worker();
    const loop = new BackgroundLoop(w.turn, { name: 'test', clock, idlePollMs: IDLE });
    loop.start();
    await clock.untilSleeping();
    expect(w.turns).toBe(1);
    clock.advance(IDLE - 1);
    await tick();
    expect(w.turns).toBe(1);
    clock.advance(1);
    await clock.untilSleeping();
    expect(w.turns).toBe(2);
    for (let i = 0; i < 5; i++) {
      clock.advance(IDLE);
      await clock.untilSleeping();
    }
    expect(w.turns).toBe(7);
    await loop.stop();
    expect(loop.running).toBe(false);
  });

  it('a wake ends the sleep at once; a wake during a turn means one more turn, not a sleep', async () => {
    const clock = new ManualClock();
    let release!: () => void;
    const w = worker();
    const loop = new BackgroundLoop(w.turn, { name: 'test', clock, idlePollMs: IDLE });
    loop.start();
    await clock.untilSleeping();
    loop.wake();
    await clock.untilSleeping();
    expect(w.turns).toBe(2);
    expect(clock.now()).toBe(Date.parse('2026-11-21T10:00:00Z')); // no time passed

    w.hold = new Promise((resolve) => (release = resolve));
    loop.wake(); // turn 3 starts and is held
    await tick();
    expect(w.turns).toBe(3);
    loop.wake(); // something was committed while turn 3 ran
    loop.wake();
    w.hold = null;
    release();
    await clock.untilSleeping();
    expect(w.turns).toBe(4); // one more turn for both wakes, then asleep
    await loop.stop();
  });

  it("'more' goes round again without a sleep, giving the event loop a turn between rounds", async () => {
    const clock = new ManualClock();
    let backlog = 5;
    const w = worker(() => (--backlog > 0 ? 'more' : 'idle'));
    const loop = new BackgroundLoop(w.turn, { name: 'test', clock, idlePollMs: IDLE });
    loop.start();
    await clock.untilSleeping();
    expect(w.turns).toBe(5);
    expect(clock.sleepers).toBe(1);
    await loop.stop();

    // A turn that answers 'more' forever still lets timers and I/O run (else this test hangs).
    let forever = 0;
    const busy = new BackgroundLoop(
      async () => {
        forever++;
        return 'more';
      },
      { name: 'busy', clock, idlePollMs: IDLE },
    );
    busy.start();
    const at = forever;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(forever).toBeGreaterThan(at); // it ran meanwhile
    await busy.stop();
  });

  it('backs off when turns throw, doubling to the cap, deaf to wakes, and recovers', async () => {
    const clock = new ManualClock();
    let down = true;
    const errors: number[] = [];
    const w = worker(() => {
      if (down) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      return 'idle';
    });
    const loop = new BackgroundLoop(w.turn, {
      name: 'test',
      clock,
      idlePollMs: 100,
      maxBackoffMs: 1_000,
      onError: (_, inARow) => errors.push(inARow),
    });
    loop.start();
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) {
      await clock.untilSleeping();
      // However often it is woken, a failing database is not asked again before the back-off ends.
      for (let k = 0; k < 50; k++) loop.wake();
      await tick();
      const before = clock.now();
      clock.advance(clock.nextTimer()! - clock.now() - 1);
      await tick();
      expect(w.turns).toBe(i + 1);
      clock.advance(1);
      gaps.push(clock.now() - before);
    }
    expect(gaps).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(errors).toEqual([1, 2, 3, 4, 5, 6]);
    expect(loop.stats.failures).toBe(6);

    await clock.untilSleeping();
    down = false;
    clock.advance(1_000);
    await clock.untilSleeping();
    expect(w.turns).toBe(8);
    // Healthy again: the idle poll and wakes count as before.
    loop.wake();
    await clock.untilSleeping();
    expect(w.turns).toBe(9);
    clock.advance(100);
    await clock.untilSleeping();
    expect(w.turns).toBe(10);
    await loop.stop();
  });

  it('stop waits for the turn in progress, ends a sleep at once, and no turn follows', async () => {
    const clock = new ManualClock();
    let release!: () => void;
    const w = worker();
    let finished = 0;
    const loop = new BackgroundLoop(
      async () => {
        await w.turn();
        finished++;
        return 'more';
      },
      { name: 'test', clock, idlePollMs: IDLE },
    );
    w.hold = new Promise((resolve) => (release = resolve));
    loop.start();
    await tick();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false); // the turn is still held
    release();
    await stopping;
    expect(finished).toBe(1);
    expect(w.turns).toBe(1);

    // Stopped while asleep: no time needs to pass.
    const idle = worker();
    const sleeper = new BackgroundLoop(idle.turn, { name: 'sleeper', clock, idlePollMs: 60_000 });
    sleeper.start();
    await clock.untilSleeping();
    await sleeper.stop();
    expect(clock.sleepers).toBe(0);
    clock.advance(120_000);
    await tick();
    expect(idle.turns).toBe(1);

    // A stop ends even a back-off's sleep, which no wake may end.
    const failing = new BackgroundLoop(
      async () => {
        throw new Error('down');
      },
      { name: 'failing', clock, idlePollMs: 100 },
    );
    failing.start();
    await clock.untilSleeping();
    await failing.stop();
    expect(failing.stats.turns).toBe(1);
  });

  it("'later' spends the wakes that came during the turn; 'none' hears only stop", async () => {
    const clock = new ManualClock();
    let answer: TurnResult = { wakes: 'later' };
    let release!: () => void;
    const w = worker(() => answer);
    const loop = new BackgroundLoop(w.turn, { name: 'test', clock, idlePollMs: IDLE });
    w.hold = new Promise((resolve) => (release = resolve));
    loop.start();
    await tick();
    loop.wake(); // during the turn: spent
    w.hold = null;
    release();
    await clock.untilSleeping();
    expect(w.turns).toBe(1);
    loop.wake(); // during the sleep: heard
    await clock.untilSleeping();
    expect(w.turns).toBe(2);

    answer = { sleepMs: 5_000, wakes: 'none' };
    clock.advance(IDLE);
    await clock.untilSleeping();
    expect(w.turns).toBe(3);
    for (let k = 0; k < 20; k++) loop.wake();
    await tick();
    expect(w.turns).toBe(3);
    clock.advance(4_999);
    await tick();
    expect(w.turns).toBe(3);
    answer = 'idle';
    clock.advance(1);
    await clock.untilSleeping();
    expect(w.turns).toBe(4);
    await loop.stop();
  });

  it('starts once however often started, and can start again after a stop', async () => {
    const clock = new ManualClock();
    const w = worker();
    const loop = new BackgroundLoop(w.turn, { name: 'test', clock, idlePollMs: IDLE });
    loop.start();
    loop.start();
    await clock.untilSleeping();
    expect(clock.sleepers).toBe(1);
    expect(w.turns).toBe(1);
    await loop.stop();
    loop.start();
    expect(loop.running).toBe(true);
    await clock.untilSleeping();
    expect(w.turns).toBe(2);
    await loop.stop();
  });
});
