import type { ChannelName } from './messages.js';

/**
 * A store's connected account on a channel (a WhatsApp number, a Messenger page, the sandbox),
 * as stored (storage/channel-accounts.ts) and as channels/ send through it.
 */

export interface ChannelConfig {
  /** Graph API base, e.g. https://graph.facebook.com; tests point it at a fake on loopback. */
  apiBaseUrl?: string;
  /** e.g. v24.0 (the default, graph-http.ts DEFAULT_GRAPH_VERSION) */
  graphVersion?: string;
  /** WhatsApp Business Account id */
  wabaId?: string;
  /** Messages per second this sender may send (WhatsApp: 80 by default, up to 1,000). */
  throughputPerSecond?: number;
}

export interface ChannelSecrets {
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
}

export interface ChannelAccount {
  storeId: string;
  channel: ChannelName;
  /** WhatsApp phone number id, Messenger page id, or "sandbox" */
  externalId: string;
  config: ChannelConfig;
  secrets: ChannelSecrets;
  /**
   * suspended: the provider refused its credentials. conflict: another store held its id first
   * (migration 0007); it never sends or receives until its store connects it again.
   */
  status: 'active' | 'suspended' | 'conflict';
  statusReason: string | null;
}
