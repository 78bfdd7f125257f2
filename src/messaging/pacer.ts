/**
 * Spaces each sender's sends evenly at a little under its throughput limit. Meta counts
 * messages per phone number in any one-second window; sends spaced 1/(0.97 × limit) apart
 * use 97% of what the number may send. Pacing runs on the real monotonic clock: it is about
 * the network, not about business time.
 *
 * Even spacing alone is not enough: a send waits for its slot on a timer, and while the event
 * loop is busy (a batch claimed or recorded: SQLite works synchronously) the timers of every
 * slot that passes meanwhile fire together, late. Counted from the moment they actually start,
 * a late bunch plus the sends on time in the same second can exceed the limit (measured with
 * the messaging bench: a ~100 ms stall at 80/s put 5–17 × 130429 into the next second). So a
 * send also asks `tryStart()` at the moment it would start (a timer that fired late cannot
 * start early): late sends catch up at the limit's own rate, and no one-second window holds
 * more than 97% of the limit in actual starts.
 */
export const PACING_SHARE = 0.97;

export class SenderPacer {
  private readonly nextFree = new Map<string, number>();
  private readonly started = new Map<string, SenderStarts>();

  constructor(private readonly monotonicNow: () => number = () => performance.now()) {}

  /** Reserves the next slot of `sender` and returns when (monotonic ms) the send may start. */
  reserve(sender: string, limitPerSecond: number): number {
    const now = this.monotonicNow();
    const interval = 1000 / (limitPerSecond * PACING_SHARE);
    const slot = Math.max(now, this.nextFree.get(sender) ?? now);
    this.nextFree.set(sender, slot + interval);
    return slot;
  }

  /**
   * This dispatcher has just taken `sender` over (its lease): another may have paced it a moment
   * ago, so its first sends here start at the limit's rate, without a burst on top of that.
   */
  takenOver(sender: string): void {
    this.started.get(sender)?.empty(this.monotonicNow());
  }

  /** Senders whose next free slot is more than `ms` ahead. */
  sendersBookedBeyond(ms: number): string[] {
    const now = this.monotonicNow();
    const booked: string[] = [];
    for (const [sender, nextFree] of this.nextFree) {
      if (nextFree - now > ms) booked.push(sender);
      // A sender idle for a while has nothing to remember: the map stays as small as the busy senders.
      else if (nextFree < now - 60_000) this.nextFree.delete(sender);
    }
    return booked;
  }

  /** How far ahead (ms) the sender's next free slot is. */
  backlogMs(sender: string): number {
    return Math.max(0, (this.nextFree.get(sender) ?? 0) - this.monotonicNow());
  }

  /**
   * A send of `sender` whose slot has come asks this just before it starts: 0 when it may start
   * now (it is then counted as started), otherwise how many ms to wait before asking again. A
   * number never starts more than PACING_SHARE of its limit in any one-second window, and late
   * sends catch up at the limit's own rate (bursts of at most 10 ms of it), not all at once.
   */
  tryStart(sender: string, limitPerSecond: number): number {
    const budget = Math.max(1, Math.floor(limitPerSecond * PACING_SHARE));
    let starts = this.started.get(sender);
    if (!starts || starts.budget !== budget) {
      starts = new SenderStarts(budget, limitPerSecond, this.monotonicNow());
      this.started.set(sender, starts);
    }
    return starts.tryStart(this.monotonicNow());
  }
}

/** One sender's actual starts: the last `budget` of them (a ring, oldest at `head`) and a token bucket. */
class SenderStarts {
  private readonly times: number[] = [];
  private head = 0;
  private readonly perMs: number;
  private readonly burst: number;
  private tokens: number;

  constructor(
    readonly budget: number,
    limitPerSecond: number,
    private refilledAt: number,
  ) {
    this.perMs = limitPerSecond / 1000;
    // Two at least: a timer wakes a little late, and the catch-up must still outpace the slots.
    this.burst = Math.max(2, Math.ceil(limitPerSecond / 100));
    // Empty at first: the number may have been paced by another dispatcher a moment ago (sender
    // leases hand it over), and a burst on top of its last second would exceed the limit.
    this.tokens = 0;
  }

  /** No tokens left: the next start waits one interval. */
  empty(now: number): void {
    this.tokens = 0;
    this.refilledAt = now;
  }

  tryStart(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.perMs);
    this.refilledAt = now;
    // With `budget` starts in (now − 1 s, now], wait until the oldest leaves the window.
    const windowWait = this.times.length === this.budget ? this.times[this.head]! + 1000 - now : 0;
    const tokenWait = this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
    const wait = Math.max(windowWait, tokenWait);
    if (wait > 0) return wait;
    this.tokens -= 1;
    if (this.times.length === this.budget) {
      this.times[this.head] = now;
      this.head = (this.head + 1) % this.budget;
    } else {
      this.times.push(now);
    }
    return 0;
  }
}

/** Meta's pair limit: one message to the same shopper every few seconds (error 131056). */
export class RecipientSpacing {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly gapMs: number) {}

  /** A reserved send did not reach the shopper (refused, failed): its slot is free again. */
  forget(sender: string, recipient: string, at: number): void {
    const key = `${sender}\u0000${recipient}`;
    if (this.lastSent.get(key) === at) this.lastSent.delete(key);
  }

  /** When (business clock) a message to `recipient` may go; records it if that is `now`. */
  reserve(sender: string, recipient: string, now: number): number {
    if (this.gapMs <= 0) return now;
    const key = `${sender}\u0000${recipient}`;
    const last = this.lastSent.get(key);
    if (last !== undefined && now - last < this.gapMs) return last + this.gapMs;
    this.lastSent.set(key, now);
    if (this.lastSent.size > 100_000) this.lastSent.clear();
    return now;
  }
}
