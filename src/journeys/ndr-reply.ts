import type { Db } from '../storage/database.js';
import type { JourneyRun } from '../storage/journeys.js';
import { messageIdByProviderId } from '../storage/message-queries.js';
import { recordNdrChoice } from '../storage/shipments.js';
import { NDR_CHOICE_EVENT } from './definition.js';

/** The shopper answered a failed delivery: their choice goes on the order's shipment, matched to the resolutions offered. */
export async function recordNdrReply(
  db: Db,
  run: JourneyRun,
  event: { name: string; data: string },
  now: number,
): Promise<void> {
  // A choice made on the tracking page was recorded on the shipment as it was made.
  if (event.name === NDR_CHOICE_EVENT) return;
  const data = JSON.parse(event.data) as {
    reply?: { id?: string; title?: string };
    text?: string | null;
    replyTo?: string;
  };
  if (!run.orderId || !data.reply?.id) return;
  const offered =
    (
      (run.data.data as { ndr?: NdrDetailsLike; ndrDetails?: NdrDetailsLike } | undefined)?.ndr ??
      (run.data.data as { ndrDetails?: NdrDetailsLike } | undefined)?.ndrDetails
    )?.resolutions ?? [];
  const match = matchResolution(data.reply.id, data.reply.title ?? '', offered);
  const messageId = data.replyTo ? await messageIdByProviderId(db, run.storeId, data.replyTo) : null;
  await recordNdrChoice(db, run.storeId, run.orderId, {
    resolutionCode: match?.resolutionCode ?? null,
    action: match?.action ?? null,
    choice: data.reply.id,
    title: data.reply.title ?? data.reply.id,
    chosenAt: new Date(now).toISOString(),
    messageId,
  });
}

type NdrDetailsLike = { resolutions?: { resolutionCode?: string; action?: string }[] };

/** The ready-made buttons name what the shopper wants; the shipment event offered resolutions in words (seed 004). */
const BUTTON_WORDS: Record<string, RegExp> = {
  'ndr:reattempt': /another delivery attempt|re-?attempt/i,
  'ndr:new_date': /new delivery date|another date|reschedule/i,
  'ndr:cancel': /cancel/i,
};

function matchResolution(
  buttonId: string,
  title: string,
  offered: { resolutionCode?: string; action?: string }[],
): { resolutionCode: string; action: string } | null {
  const byCode = offered.find((r) => r.resolutionCode === buttonId);
  const words = BUTTON_WORDS[buttonId];
  const found =
    byCode ??
    offered.find((r) => (words ? words.test(r.action ?? '') : (r.action ?? '').toLowerCase() === title.toLowerCase()));
  return found?.resolutionCode && found.action ? { resolutionCode: found.resolutionCode, action: found.action } : null;
}
