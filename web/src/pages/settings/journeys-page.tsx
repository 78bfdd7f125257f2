import { useState } from 'preact/hooks';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { SavedSettings } from './saved-settings.js';
import { Field, Outcome, SettingsFrame, useAction } from './settings-ui.js';

/** A header's value is write-only: the API answers `{"set": true}`, and keeps the stored value when sent that back. */
type HeaderValue = string | { set: true };

interface Partner {
  url: string;
  style: 'query' | 'body';
  eventCount: number;
  timeoutMs: number;
  fallback: 'send' | 'exit';
  headers: Record<string, HeaderValue>;
}

interface JourneySettings {
  quietHours: { start: string; end: string; action: 'wait' | 'skip' } | null;
  partner: Partner | null;
  discountCode: string | null;
  paymentLinkBase: string | null;
}

/**
 * The store's journey settings (GET / PUT /v1/journey-settings, docs/journeys.md): quiet hours,
 * the checkout partner's exit API, the discount code and payment links. The partner's header
 * values (an API key, usually) are write-only: the API names the header, never its value, and
 * a value left empty is sent as `{"set": true}`, which keeps the stored one.
 */
export function JourneySettingsPage(_props: PageProps) {
  return (
    <SettingsFrame title="Journey settings">
      <SavedSettings<JourneySettings>
        path="/v1/journey-settings"
        savedNote={'Saved. Journeys use the new settings from their next step.'}
        Form={JourneyForm}
      />
    </SettingsFrame>
  );
}

function JourneyForm(props: { current: JourneySettings; onSaved: () => void; onEdit: () => void }) {
  const { current } = props;
  const { api } = useStore();
  const action = useAction();
  const [quiet, setQuiet] = useState(current.quietHours !== null);
  const [partnerOn, setPartnerOn] = useState(current.partner !== null);
  const headerName = Object.keys(current.partner?.headers ?? {})[0] ?? '';

  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const name = text('headerName');
    // Empty: keep what is stored under that name (the API says so if nothing is).
    const value: HeaderValue = text('headerValue') || { set: true };
    const body: JourneySettings = {
      quietHours: quiet
        ? { start: text('quietStart'), end: text('quietEnd'), action: text('quietAction') as 'wait' | 'skip' }
        : null,
      partner: partnerOn
        ? {
            url: text('partnerUrl'),
            style: text('partnerStyle') as 'query' | 'body',
            eventCount: Number(text('partnerCount')),
            timeoutMs: Number(text('partnerTimeout')),
            fallback: text('partnerFallback') as 'send' | 'exit',
            headers: name ? { [name]: value } : {},
          }
        : null,
      discountCode: text('discountCode') || null,
      paymentLinkBase: text('paymentLinkBase') || null,
    };
    const ok = await action.run(() => api.send('PUT', '/v1/journey-settings', body));
    if (ok !== null) props.onSaved();
  };

  return (
    <form class="settings-form" onSubmit={submit} onInput={props.onEdit} aria-label="Journey settings">
      <Outcome error={action.error} done={null} />
      <fieldset>
        <legend>Quiet hours</legend>
        <div class="field-row">
          <input id="jq-on" type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.currentTarget.checked)} />
          <label for="jq-on">No journey messages during quiet hours (the store's time zone)</label>
        </div>
        {quiet ? (
          <>
            <div class="toolbar">
              <Field
                id="jq-start"
                name="quietStart"
                label="From"
                type="time"
                required
                defaultValue={current.quietHours?.start ?? '21:00'}
              />
              <Field
                id="jq-end"
                name="quietEnd"
                label="Until"
                type="time"
                required
                defaultValue={current.quietHours?.end ?? '09:00'}
              />
            </div>
            <div class="field">
              <label for="jq-action">A message due in quiet hours</label>
              <Choice
                id="jq-action"
                name="quietAction"
                initial={current.quietHours?.action ?? 'wait'}
                options={[
                  ['wait', 'waits until they end'],
                  ['skip', 'is skipped'],
                ]}
              />
            </div>
          </>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Checkout partner's exit API</legend>
        <p class="hint">
          Before each send of a journey that asks for it, Storewire asks the partner for the shopper's recent events:
          one that shows a later step (an order) ends the journey.
        </p>
        <div class="field-row">
          <input
            id="jp-on"
            type="checkbox"
            checked={partnerOn}
            onChange={(e) => setPartnerOn(e.currentTarget.checked)}
          />
          <label for="jp-on">Ask the checkout partner</label>
        </div>
        {partnerOn ? (
          <>
            <Field
              id="jp-url"
              name="partnerUrl"
              label="Partner's address"
              type="url"
              required
              defaultValue={current.partner?.url ?? ''}
              hint="Like https://checkout-partner.example/fetch-user-events"
            />
            <div class="field">
              <label for="jp-style">customer_id and event_count go</label>
              <Choice
                id="jp-style"
                name="partnerStyle"
                initial={current.partner?.style ?? 'query'}
                options={[
                  ['query', 'in the query string'],
                  ['body', 'in a JSON body'],
                ]}
              />
            </div>
            <div class="toolbar">
              <Field
                id="jp-count"
                name="partnerCount"
                label="Events asked for"
                type="number"
                min={1}
                max={100}
                required
                defaultValue={String(current.partner?.eventCount ?? 5)}
              />
              <Field
                id="jp-timeout"
                name="partnerTimeout"
                label="Wait at most (ms)"
                type="number"
                min={100}
                max={30000}
                required
                defaultValue={String(current.partner?.timeoutMs ?? 2000)}
              />
            </div>
            <div class="field">
              <label for="jp-fallback">When the partner does not answer</label>
              <Choice
                id="jp-fallback"
                name="partnerFallback"
                initial={current.partner?.fallback ?? 'send'}
                options={[
                  ['send', 'send anyway'],
                  ['exit', 'leave the journey'],
                ]}
              />
            </div>
            <Field
              id="jp-header"
              name="headerName"
              label="Header for its API key (optional)"
              defaultValue={headerName}
              placeholder="X-Api-Key"
              autoComplete="off"
            />
            <Field
              id="jp-header-value"
              name="headerValue"
              label="Header value"
              type="password"
              autoComplete="new-password"
              hint={
                headerName
                  ? 'Set: leave empty to keep it, or type a new one.'
                  : 'Sent with every call; never shown again.'
              }
            />
          </>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Offers</legend>
        <Field
          id="j-discount"
          name="discountCode"
          label="Discount code (the last cart reminder)"
          maxLength={500}
          defaultValue={current.discountCode ?? ''}
        />
        <Field
          id="j-pay"
          name="paymentLinkBase"
          label="Payment link base (cash-on-delivery orders)"
          type="url"
          maxLength={500}
          defaultValue={current.paymentLinkBase ?? ''}
          hint="The order id is added at the end: https://shop.example/pay/ → https://shop.example/pay/1042"
        />
      </fieldset>
      <button type="submit" class="button button-primary" disabled={action.busy}>
        Save journey settings
      </button>
    </form>
  );
}

/**
 * A select that starts at `initial` and is then the user's: a controlled `value` would be put back
 * whenever the form re-renders (ticking a checkbox), undoing the user's choice.
 */
function Choice({
  id,
  name,
  initial,
  options,
}: {
  id: string;
  name: string;
  initial: string;
  options: [string, string][];
}) {
  return (
    <select id={id} name={name}>
      {options.map(([value, words]) => (
        <option key={value} value={value} selected={value === initial}>
          {words}
        </option>
      ))}
    </select>
  );
}
