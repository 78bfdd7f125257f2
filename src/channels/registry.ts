import type { ChannelName } from '../domain/messages.js';
import type { Channel } from './channel.js';

/** The channels a process sends with, by name. */
export type ChannelRegistry = Record<ChannelName, Channel>;
