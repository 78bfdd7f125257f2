import type { Db } from '../storage/database.js';
import { journeyDefinitions } from '../storage/journey-versions.js';
import { readyMade } from './ready-made.js';

/** The campaign a journey's send step gives its messages (the worker's, and the message log's journey filter). */
export const stepCampaign = (journeyId: string, stepId: string) => `journey:${journeyId}:${stepId}`;

/**
 * The campaigns of every send step the journey has (or had, in an older version, or has as a
 * ready-made one): its messages are exactly the messages of these campaigns, which the message
 * log reads each from its own (store, campaign, created_at) index range.
 */
export async function journeyCampaigns(db: Db, storeId: string, journeyId: string): Promise<string[]> {
  const definitions = [...(await journeyDefinitions(db, storeId, journeyId)), readyMade(journeyId)?.definition ?? {}];
  const steps = definitions.flatMap((d) =>
    Array.isArray(d.steps) ? (d.steps as { id?: unknown; type?: unknown }[]) : [],
  );
  return [
    ...new Set(
      steps
        .filter((s) => s.type === 'send' && typeof s.id === 'string')
        .map((s) => stepCampaign(journeyId, s.id as string)),
    ),
  ];
}
