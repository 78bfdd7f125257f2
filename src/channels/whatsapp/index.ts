export { WhatsAppChannel, type WhatsAppChannelOptions } from './whatsapp-channel.js';
export { parseWhatsAppWebhook } from './webhook.js';
