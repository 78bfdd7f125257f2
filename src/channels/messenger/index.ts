export { MessengerChannel, type MessengerChannelOptions } from './messenger-channel.js';
export { parseMessengerWebhook } from './webhook.js';
