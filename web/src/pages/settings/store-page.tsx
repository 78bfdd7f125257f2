import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { SavedSettings } from './saved-settings.js';
import { Field, Outcome, SettingsFrame, useAction } from './settings-ui.js';

interface StoreSettings {
  name: string;
  defaultCountry: string;
  timeZone: string;
  optOutKeywords: string[];
  optInKeywords: string[];
  optOutConfirmation: string | null;
  rejectOrderTotalMismatch: boolean;
  marketingFrequencyCap: { max: number; hours: number };
  logoUrl: string | null;
  accentColor: string | null;
}

const words = (text: string) =>
  text
    .split(/[,\n]/)
    .map((w) => w.trim())
    .filter(Boolean);

/** What the store says about itself (GET / PATCH /v1/store/settings, docs/store-settings.md). */
export function StorePage(_props: PageProps) {
  return (
    <SettingsFrame title="Store settings">
      <SavedSettings<StoreSettings>
        path="/v1/store/settings"
        savedNote={"Saved. Shoppers' messages and the tracking page use the new settings from now on."}
        Form={StoreForm}
      />
    </SettingsFrame>
  );
}

function StoreForm({ current, onSaved, onEdit }: { current: StoreSettings; onSaved: () => void; onEdit: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const body = {
      name: text('name'),
      defaultCountry: text('defaultCountry').toUpperCase(),
      timeZone: text('timeZone'),
      optOutKeywords: words(text('optOutKeywords')),
      optInKeywords: words(text('optInKeywords')),
      optOutConfirmation: text('optOutConfirmation') || null,
      rejectOrderTotalMismatch: data.get('rejectOrderTotalMismatch') === 'on',
      marketingFrequencyCap: { max: Number(text('capMax')), hours: Number(text('capHours')) },
      logoUrl: text('logoUrl') || null,
      accentColor: text('accentColor') || null,
    };
    const saved = await action.run(() => api.send('PATCH', '/v1/store/settings', body));
    if (saved !== null) onSaved();
  };
  return (
    <form class="settings-form" onSubmit={submit} onInput={onEdit} aria-label="Store settings">
      <Outcome error={action.error} done={null} />
      <fieldset>
        <legend>The store</legend>
        <Field id="st-name" name="name" label="Name" required maxLength={200} defaultValue={current.name} />
        <Field
          id="st-country"
          name="defaultCountry"
          label="Country"
          required
          pattern="[A-Za-z]{2}"
          maxLength={2}
          defaultValue={current.defaultCountry}
          hint="Two letters (IN, US): phone numbers written without a country code are read as this country's."
        />
        <Field
          id="st-zone"
          name="timeZone"
          label="Time zone"
          required
          defaultValue={current.timeZone}
          hint="Like Asia/Kolkata: the store's days, and quiet hours, are in it."
        />
      </fieldset>
      <fieldset>
        <legend>Consent</legend>
        <Field
          id="st-optout"
          name="optOutKeywords"
          label="Opt-out keywords"
          defaultValue={current.optOutKeywords.join(', ')}
          hint="Separated by commas. A shopper who sends one stops getting marketing; STOP and UNSUBSCRIBE always work."
        />
        <Field
          id="st-optin"
          name="optInKeywords"
          label="Opt-in keywords"
          defaultValue={current.optInKeywords.join(', ')}
          hint="Separated by commas; START always works."
        />
        <Field
          id="st-confirm"
          name="optOutConfirmation"
          label="Reply to an opt-out (optional)"
          maxLength={1024}
          defaultValue={current.optOutConfirmation ?? ''}
        />
        <div class="toolbar">
          <Field
            id="st-cap-max"
            name="capMax"
            label="Marketing messages at most"
            type="number"
            min={0}
            max={100}
            required
            defaultValue={String(current.marketingFrequencyCap.max)}
          />
          <Field
            id="st-cap-hours"
            name="capHours"
            label="per hours"
            type="number"
            min={1}
            max={720}
            required
            defaultValue={String(current.marketingFrequencyCap.hours)}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Orders</legend>
        <div class="field-row">
          <input
            id="st-mismatch"
            type="checkbox"
            name="rejectOrderTotalMismatch"
            defaultChecked={current.rejectOrderTotalMismatch}
          />
          <label for="st-mismatch">Refuse orders whose items do not add up to their total</label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Branding (the order-tracking page)</legend>
        <Field
          id="st-logo"
          name="logoUrl"
          label="Logo address"
          type="url"
          defaultValue={current.logoUrl ?? ''}
          hint="An https:// address of your logo; empty shows the store's name alone."
        />
        <Field
          id="st-accent"
          name="accentColor"
          label="Accent colour"
          pattern="#[0-9A-Fa-f]{6}"
          placeholder="#0b5f4a"
          defaultValue={current.accentColor ?? ''}
          hint="#rrggbb for headings, buttons and links; empty for Storewire's green."
        />
      </fieldset>
      <button type="submit" class="button button-primary" disabled={action.busy}>
        Save store settings
      </button>
    </form>
  );
}
