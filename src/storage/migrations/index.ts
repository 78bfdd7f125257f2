import type { Migration } from 'kysely';
import * as eventRoad from './0001-event-road.js';
import * as messages from './0002-messages.js';
import * as connectors from './0003-connectors.js';
import * as journeys from './0004-journeys.js';
import * as senderLeases from './0005-sender-leases.js';
import * as messagesDueSender from './0006-messages-due-sender.js';
import * as providerIds from './0007-provider-ids.js';
import * as messengerConsent from './0008-messenger-consent.js';
import * as channelErrors from './0009-channel-errors.js';
import * as contactProfileName from './0010-contact-profile-name.js';
import * as demoCredentials from './0011-demo-credentials.js';
import * as teamAccounts from './0012-team-accounts.js';
import * as dashboardLists from './0013-dashboard-lists.js';
import * as orderTracking from './0014-order-tracking.js';
import * as sandboxReports from './0015-sandbox-reports.js';
import * as overviewRollups from './0016-overview-rollups.js';
import * as contactWordsCapped from './0017-contact-words-capped.js';
import * as journeyStatsIndexes from './0020-journey-stats-indexes.js';
import * as journeyLive from './0021-journey-live.js';
import * as workers from './0022-workers.js';
import * as journeyConversions from './0023-journey-conversions.js';

/**
 * Every migration in order. Names are numbered so they sort; a migration is never edited once
 * released — a change is a new file. Each runs on SQLite and PostgreSQL through Kysely's
 * schema builder.
 */
export const migrations: Record<string, Migration> = {
  '0001-event-road': eventRoad,
  '0002-messages': messages,
  '0003-connectors': connectors,
  '0004-journeys': journeys,
  '0005-sender-leases': senderLeases,
  '0006-messages-due-sender': messagesDueSender,
  '0007-provider-ids': providerIds,
  '0008-messenger-consent': messengerConsent,
  '0009-channel-errors': channelErrors,
  '0010-contact-profile-name': contactProfileName,
  '0011-demo-credentials': demoCredentials,
  '0012-team-accounts': teamAccounts,
  '0013-dashboard-lists': dashboardLists,
  '0014-order-tracking': orderTracking,
  '0015-sandbox-reports': sandboxReports,
  '0016-overview-rollups': overviewRollups,
  '0017-contact-words-capped': contactWordsCapped,
  '0020-journey-stats-indexes': journeyStatsIndexes,
  '0021-journey-live': journeyLive,
  '0022-workers': workers,
  '0023-journey-conversions': journeyConversions,
};
