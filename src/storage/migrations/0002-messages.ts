import type { Kysely } from 'kysely';

/** Channel accounts, templates, the message outbox, outbound webhooks, messaging windows. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_accounts')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    // The WhatsApp phone number id, the Messenger page id, or "sandbox".
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_accounts_pk', ['store_id', 'channel'])
    .execute();
  await db.schema
    .createIndex('channel_accounts_by_external_id')
    .on('channel_accounts')
    .columns(['channel', 'external_id'])
    .execute();

  await db.schema
    .createTable('templates')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('templates_pk', ['store_id', 'name'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('template_name', 'text')
    .addColumn('campaign', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('history', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('read_at', 'bigint')
    .addColumn('failed_at', 'bigint')
    .addColumn('replied_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('messages_by_idempotency_key')
    .unique()
    .on('messages')
    .columns(['store_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('messages_due').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema
    .createIndex('messages_by_provider_id')
    .unique()
    .on('messages')
    .columns(['channel', 'provider_message_id'])
    .execute();
  await db.schema
    .createIndex('messages_by_contact')
    .on('messages')
    .columns(['store_id', 'contact_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('messages_by_recipient')
    .on('messages')
    .columns(['store_id', 'recipient', 'created_at'])
    .execute();
  await db.schema
    .createIndex('messages_by_template')
    .on('messages')
    .columns(['store_id', 'template_name', 'created_at'])
    .execute();
  await db.schema
    .createIndex('messages_by_campaign')
    .on('messages')
    .columns(['store_id', 'campaign', 'created_at'])
    .execute();

  // Provider statuses that arrived before Storewire stored the provider's id for the message
  // (the provider can report "sent" before its answer to the send is recorded).
  await db.schema
    .createTable('message_status_pending')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_status_pending_pk', ['channel', 'provider_message_id', 'status'])
    .execute();

  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_by_store')
    .on('webhook_subscriptions')
    .columns(['store_id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_by_store')
    .on('webhook_deliveries')
    .columns(['store_id', 'created_at'])
    .execute();

  // When the shopper last wrote on each channel: the 24-hour customer-service window.
  await db.schema.alterTable('contacts').addColumn('whatsapp_inbound_at', 'bigint').execute();
  await db.schema.alterTable('contacts').addColumn('messenger_inbound_at', 'bigint').execute();
}
