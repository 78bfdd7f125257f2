import type {} from '@fastify/swagger';
import type { Clock } from '../clock.js';
import type { Engine } from '../engine/engine.js';
import type { Metrics } from '../observability/metrics.js';
import type { Messaging } from '../messaging/messaging.js';
import type { Storage } from '../storage/database.js';
import type { Authenticator } from './auth.js';

/** What every route group is given. */
export interface RouteDeps {
  storage: Storage;
  engine: Engine;
  auth: Authenticator;
  metrics: Metrics;
  clock: Clock;
  messaging: Messaging;
  /** The base of absolute links (PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
  /** A shopper entered a journey due now: run it rather than at the next poll. */
  wakeJourneys?: () => void;
}

/**
 * For routes that judge their body event by event: the schema stays on the route for the
 * OpenAPI document, but Fastify must not refuse the whole request for one bad event.
 */
export const judgeEachEventInHandler = () => (data: unknown) => ({ value: data });

export const storeContext = (store: { id: string; defaultCountry: string; timeZone: string }) => ({
  storeId: store.id,
  defaultCountry: store.defaultCountry,
  timeZone: store.timeZone,
});

/** Store routes: the store's API key, or a dashboard session with X-Store-Id (docs/dashboard.md). */
export const bearerAuth: Record<string, string[]>[] = [{ storeKey: [] }, { session: [] }];
