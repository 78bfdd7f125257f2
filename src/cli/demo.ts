import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildWorkers, createApp, type App } from '../app.js';
import { sandboxAccount } from '../channels/sandbox/account.js';
import { localBaseUrl, type Config } from '../config.js';
import type { Store } from '../domain/store.js';
import { connectChannelAccount } from '../messaging/connect-account.js';
import { exitActiveRuns, getJourney } from '../storage/journeys.js';
import type { WorkScope } from '../storage/work-scope.js';
import { FastClock } from './demo-clock.js';
import { addToCart, createShopper, DEMO_PRODUCT, placeOrder } from './demo-shopper.js';
import { ensureDemoStore } from './demo-store.js';
import { Timeline, type Observed } from './demo-timeline.js';
import { DEMO_USAGE } from './usage.js';

const JOURNEY = 'cart_abandonment';
/** The shopper comes back this long after the first reminder and buys. */
const ORDER_AFTER_REMINDER_MS = 30 * 60_000;
/** Nothing due for longer than this (real time at the demo's speed): the clock jumps ahead. */
const LONGEST_IDLE_REAL_MS = 2_000;
/** The story is over in about a day of store time; past this something is wrong. */
const STORY_LIMIT_MS = 8 * 24 * 3_600_000;
const REAL_LIMIT_MS = 120_000;
/** Real time between rounds of the workers (36 s of store time at 3600×). */
const ROUND_PAUSE_MS = 10;
/** When the sandbox reports a reminder delivered and read: a shopper's pace, not a test's. */
const SANDBOX_TIMINGS = { deliveredAfterMs: 20_000, readAfterMs: 4 * 60_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** storewire demo: see DEMO_USAGE. Returns the exit code. */
export async function demoCommand(config: Config, argv: string[]): Promise<number> {
  let speed: number;
  try {
    const { values } = parseArgs({ args: argv, options: { speed: { type: 'string', default: '3600' } } });
    speed = Number(values.speed);
    if (!Number.isFinite(speed) || speed < 1 || speed > 1_000_000)
      throw new Error(`--speed must be a number from 1 to 1000000 (got "${values.speed}")`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${DEMO_USAGE}\n`);
    return 2;
  }
  const clock = new FastClock(speed);
  // Logs go to stderr: stdout is the timeline.
  const app = await createApp(config, { clock, logger: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    const demo = await ensureDemoStore(app.storage, { legacyDataDir: config.dataDir });
    const journey = await getJourney(app.storage.db, demo.store.id, JOURNEY);
    if (!journey?.enabled) {
      process.stderr.write(notEnabled(config, demo.store, demo.apiKey));
      return 1;
    }
    // PUT /v1/channels/sandbox's effect, at real time (it releases messages waiting for the sender).
    await connectChannelAccount(app.storage.db, sandboxAccount(demo.store.id), Date.now());
    return await play(app, demo.store, clock);
  } finally {
    await app.close();
  }
}

function notEnabled(config: Config, store: Store, apiKey: string): string {
  const base = localBaseUrl(config);
  return [
    `The demo plays the ${JOURNEY} journey, which is not enabled for the demo store "${store.name}" (${store.id}).`,
    'With the server running (npm start), enable it as the README shows:',
    '',
    `  curl -s -X POST $SW/v1/journeys/${JOURNEY}/enable -H "Authorization: Bearer $SW_KEY"`,
    '',
    "that is, with this store's key:",
    '',
    `  curl -s -X POST ${base}/v1/journeys/${JOURNEY}/enable -H "Authorization: Bearer ${apiKey}"`,
    '',
    'then run the demo again.',
    '',
  ].join('\n');
}

/**
 * The story, driven by this process's own journey worker and dispatcher on the fast clock. They
 * are scoped to the demo shopper (see WorkScope): the clock runs hours ahead of real time, and a
 * server on the same database must keep every other shopper's due work for itself.
 */
async function play(app: App, store: Store, clock: FastClock): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const t0 = clock.now();
  const shopper = await createShopper(app.engine, store, clock);
  const scope: WorkScope = { storeId: store.id, contactId: shopper.contactId };
  // The process's workers as app.ts builds them, scoped to the demo shopper and driven round by round.
  const { messaging, journeys } = buildWorkers(app.storage, app.engine, clock, {
    scope,
    messaging: { sandbox: SANDBOX_TIMINGS },
  });
  const feed = messaging.sandboxFeed;
  const timeline = new Timeline(app.storage.db, store.id, shopper.contactId, t0, out);

  let interrupted = false;
  const onSignal = () => (interrupted = true);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const realStart = performance.now();
  out(`Storewire demo: ${JOURNEY} on "${store.name}" (${store.id}), on a clock ${clock.speed}× faster than real time`);
  out(
    `Times are store time since the start, ${new Date(t0).toISOString()}. The shopper: ${shopper.name}, ${shopper.phone} (customer ${shopper.customerId}), WhatsApp consent ACTIVE.`,
  );
  out('');

  const story: { orderAt: number | null; orderId: string | null; observed: Observed | null } = {
    orderAt: null,
    orderId: null,
    observed: null,
  };
  try {
    await addToCart(app.engine, store, shopper, clock.now());
    timeline.say(
      clock.now(),
      'shopper',
      `puts "${DEMO_PRODUCT.title}" (${DEMO_PRODUCT.currency} ${DEMO_PRODUCT.price}) in the cart, and leaves`,
    );
    for (;;) {
      if (interrupted) throw new Error('interrupted');
      if (clock.now() - t0 > STORY_LIMIT_MS || performance.now() - realStart > REAL_LIMIT_MS)
        throw new Error('the story did not end in time');
      // One round of what `storewire start` runs in the background (the store webhooks are
      // left to the server: they are the store's, not the demo's).
      await journeys.drain();
      await messaging.feedSandbox();
      await messaging.dispatcher.runOnce();
      await messaging.dispatcher.drain();
      await messaging.feedSandbox();
      const observed = await timeline.poll();
      story.observed = observed;
      const cart = observed.runs.find((r) => r.run.journeyId === JOURNEY);
      if (!cart) throw new Error(`the cart change started no ${JOURNEY} run`);
      if (cart.run.status !== 'active') break;
      const reminder = cart.steps.find((s) => s.outcome === 'sent');
      const reached = reminder && observed.messages.find((m) => m.id === reminder.messageId);
      // The shopper comes back half an hour after the first reminder reached them, and buys.
      if (story.orderAt === null && reminder && reached && ['read', 'failed'].includes(reached.status))
        story.orderAt = reminder.at + ORDER_AFTER_REMINDER_MS;
      if (story.orderAt !== null && story.orderId === null && clock.now() >= story.orderAt) {
        story.orderId = await placeOrder(app.engine, store, shopper, clock.now());
        timeline.say(
          clock.now(),
          'shopper',
          `comes back and places order ${story.orderId} (${DEMO_PRODUCT.currency} ${DEMO_PRODUCT.price})`,
        );
        continue;
      }
      const next = nextDue(clock.now(), observed, story.orderId === null ? story.orderAt : null, await feed.nextDue());
      await sleep(ROUND_PAUSE_MS);
      if (next !== null && (next - clock.now()) / clock.speed > LONGEST_IDLE_REAL_MS) {
        out(`${''.padEnd(9)} ${'…'.padEnd(16)} nothing happens until ${timeline.stamp(next)}: skipping ahead`);
        clock.skipTo(next);
      } else {
        clock.step(next);
      }
    }
    const seconds = ((performance.now() - realStart) / 1000).toFixed(1);
    out('');
    out(summary(story.observed!, story.orderId, clock.now() - t0, seconds));
    return 0;
  } catch (error) {
    out('');
    out(`The demo stopped: ${(error as Error).message}.`);
    return interrupted ? 130 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await messaging.dispatcher.drain();
    await feed.forgetScoped();
    // Nothing of the demo may be left for a server on this database to act on later.
    const ended = await exitActiveRuns(app.storage.db, store.id, shopper.contactId, 'demo_ended', clock.now());
    if (ended > 0)
      out(
        `(ended ${ended} run${ended === 1 ? '' : 's'} of the demo shopper still under way, so that no server acts on them later)`,
      );
  }
}

/**
 * The next time something of the story is due: a run's step, a queued message, the sandbox's
 * next status report, the shopper's order. The clock stops there (or jumps there, over a quiet
 * day), so the journeys see exactly the times they would have seen in real time.
 */
function nextDue(now: number, observed: Observed, orderAt: number | null, sandboxDue: number | null): number | null {
  const due = [
    ...observed.runs.filter((r) => r.run.status === 'active').map((r) => r.run.dueAt),
    ...observed.messages.filter((m) => m.status === 'queued').map((m) => m.nextAttemptAt),
    orderAt ?? Infinity,
    sandboxDue ?? Infinity,
  ]
    .filter((at) => at > now)
    .reduce((a, b) => Math.min(a, b), Infinity);
  return Number.isFinite(due) ? due : null;
}

function summary(observed: Observed, orderId: string | null, storeMs: number, realSeconds: string): string {
  const cart = observed.runs.find((r) => r.run.journeyId === JOURNEY);
  const sent = (cart?.steps ?? []).filter((s) => s.outcome === 'sent');
  const statuses = sent.map((s) => observed.messages.find((m) => m.id === s.messageId)?.status ?? '?');
  const hours = Math.round(storeMs / 360_000) / 10;
  const ending =
    cart?.run.status === 'exited'
      ? `the journey exited (${cart.run.exitReason}), no further reminder`
      : `the journey is ${cart?.run.status ?? 'missing'}`;
  return `Summary: ${sent.length} reminder${sent.length === 1 ? '' : 's'} sent (${statuses.join(', ') || 'none'}), ${orderId ? `order ${orderId} placed` : 'no order'}, ${ending}; ${hours} h of store time in ${realSeconds} s.`;
}
