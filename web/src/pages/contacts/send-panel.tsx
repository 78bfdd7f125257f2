import { useEffect, useState } from 'preact/hooks';
import type { ContactDetail, Message } from '../../api/types.js';
import { type PreviewAnswer, type TemplateView, templatePath } from '../../api/templates.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { describeFailure, Outcome, useAction } from '../../ui/form.js';
import { channelName } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';
import { PhonePreview } from '../templates/phone-preview.js';

type Channel = 'whatsapp' | 'messenger';

/** The channels this shopper can be written on: WhatsApp with a phone, Messenger with a page-scoped id. */
function channelsOf(contact: ContactDetail): Channel[] {
  const kinds = new Set(contact.identities.map((identity) => identity.kind));
  return [
    ...(kinds.has('phone') ? (['whatsapp'] as const) : []),
    ...(kinds.has('psid') ? (['messenger'] as const) : []),
  ];
}

/**
 * Sends this shopper one message (POST /v1/messages): a template drawn first as their phone
 * will show it (the preview API with their data and the order chosen), or a text inside the
 * 24 hours after they wrote. The API's refusal (no consent, outside the window…) is said in its
 * words; the message sent is shown with its status as it moves on.
 */
export function SendPanel({ contact, version }: { contact: ContactDetail; version: number }) {
  const { api, store } = useStore();
  const channels = channelsOf(contact);
  const [channel, setChannel] = useState<Channel>(channels[0] ?? 'whatsapp');
  const [kind, setKind] = useState<'template' | 'text'>('template');
  const templates = useApi<{ templates: TemplateView[] }>('/v1/templates');
  const usable = (templates.data?.templates ?? []).filter((t) => t.channel === channel);
  const [templateName, setTemplateName] = useState('');
  const template = usable.some((t) => t.name === templateName) ? templateName : (usable[0]?.name ?? '');
  const [orderId, setOrderId] = useState(contact.orders[0]?.orderId ?? '');
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<{ answer: PreviewAnswer | null; problem: string | null } | null>(null);
  const action = useAction();
  const [sentId, setSentId] = useState<string | null>(null);

  useEffect(() => {
    if (kind !== 'template' || !template) return setPreview(null);
    let live = true;
    api
      .send<PreviewAnswer>('POST', templatePath(template, '/preview'), {
        contactId: contact.id,
        ...(orderId ? { orderId } : {}),
      })
      .then(
        (answer) => live && setPreview({ answer, problem: null }),
        (failure) => live && setPreview({ answer: null, problem: describeFailure(failure) }),
      );
    return () => {
      live = false;
    };
  }, [kind, template, orderId, contact.id]);

  if (channels.length === 0)
    return (
      <section class="panel" aria-labelledby="send-title">
        <h2 id="send-title">Send a message</h2>
        <p class="muted">This shopper has no phone number or Messenger id to write to.</p>
      </section>
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = {
      to: { contactId: contact.id },
      channel,
      idempotencyKey: `dashboard:${crypto.randomUUID()}`,
      ...(kind === 'template' ? { template, ...(orderId ? { orderId } : {}) } : { text: text.trim() }),
    };
    const message = await action.run(() => api.send<Message>('POST', '/v1/messages', body));
    if (message) {
      setSentId(message.id);
      if (kind === 'text') setText('');
    }
  };
  const ready = kind === 'template' ? !!template : text.trim().length > 0;

  return (
    <section class="panel panel-wide" aria-labelledby="send-title">
      <h2 id="send-title">Send a message</h2>
      <form class="send-form" onSubmit={submit}>
        {channels.length > 1 ? (
          <fieldset>
            <legend>Channel</legend>
            <div class="choice-row">
              {channels.map((c) => (
                <label key={c}>
                  <input type="radio" name="send-channel" checked={channel === c} onChange={() => setChannel(c)} />
                  {channelName(c)}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <fieldset>
          <legend>What to send on {channelName(channel)}</legend>
          <div class="choice-row">
            <label>
              <input type="radio" name="send-kind" checked={kind === 'template'} onChange={() => setKind('template')} />
              A template
            </label>
            <label>
              <input type="radio" name="send-kind" checked={kind === 'text'} onChange={() => setKind('text')} />A text
            </label>
          </div>
        </fieldset>
        {kind === 'template' ? (
          <div class="field-row">
            <div class="field">
              <label for="send-template">Template</label>
              <select
                id="send-template"
                value={template}
                onChange={(e) => setTemplateName((e.currentTarget as HTMLSelectElement).value)}
              >
                {usable.length === 0 ? (
                  <option value="">{templates.loading ? 'Loading…' : 'No template for this channel'}</option>
                ) : null}
                {usable.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="send-order">Order it is about</label>
              <select
                id="send-order"
                value={orderId}
                onChange={(e) => setOrderId((e.currentTarget as HTMLSelectElement).value)}
              >
                <option value="">None</option>
                {contact.orders.map((o) => (
                  <option key={o.orderId} value={o.orderId}>
                    Order {o.orderId}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : (
          <div class="field">
            <label for="send-text">Text</label>
            <textarea
              id="send-text"
              value={text}
              maxLength={4096}
              aria-describedby="send-text-hint"
              onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            />
            <p class="hint" id="send-text-hint">
              A text goes only within 24 hours of the shopper’s last message; outside them, send a template.
            </p>
          </div>
        )}
        {kind === 'template' && preview ? (
          <div class="send-preview">
            {preview.answer ? (
              <PhonePreview preview={preview.answer.preview} from={store.name} channel={preview.answer.channel} />
            ) : (
              <p class="notice notice-warn">It cannot be drawn for this shopper: {preview.problem}</p>
            )}
          </div>
        ) : null}
        <Outcome error={action.error} done={null} />
        <p class="panel-actions">
          <button type="submit" class="button button-primary" disabled={action.busy || !ready}>
            Send to {contact.name ?? 'this shopper'}
          </button>
        </p>
      </form>
      {sentId ? <SentMessage messageId={sentId} version={version} /> : null}
    </section>
  );
}

/** The message just sent, read again as the contact page hears of its statuses. */
function SentMessage({ messageId, version }: { messageId: string; version: number }) {
  const { link } = useStore();
  const { data: message, refresh } = useApi<Message>(`/v1/messages/${encodeURIComponent(messageId)}`);
  useEffect(() => {
    if (version > 0) refresh();
  }, [version]);
  if (!message) return null;
  return (
    <p class="notice notice-info sent-message" role="status">
      Sent {message.templateName ? `“${message.templateName}”` : 'a text'} on {channelName(message.channel)}:{' '}
      <StatusBadge status={message.status} /> {message.error?.reason ? <span>{message.error.reason} </span> : null}
      <Link href={link(`/messages/${encodeURIComponent(message.id)}`)}>Open the message</Link>
    </p>
  );
}
