import type { TemplateProblem } from '../../api/templates.js';
import {
  type ButtonForm,
  type ButtonType,
  type CardForm,
  emptyButton,
  emptyCard,
  pointer,
  problemsAt,
  type WhatsAppForm,
} from './draft.js';
import { SelectField, TextField } from './fields.js';

const BUTTON_TYPES: { value: ButtonType; label: string }[] = [
  { value: 'quick_reply', label: 'Quick reply' },
  { value: 'url', label: 'Link' },
  { value: 'phone_number', label: 'Call' },
  { value: 'copy_code', label: 'Copy code' },
  { value: 'catalog', label: 'Catalog' },
];

interface Props {
  form: WhatsAppForm;
  set: (form: WhatsAppForm) => void;
  problems: TemplateProblem[];
  disabled: boolean;
}

/** The parts of a WhatsApp template as Meta models them: header, body, footer, buttons, carousel, parameters. */
export function WhatsAppFields({ form, set, problems, disabled }: Props) {
  const at = (path: string) => problemsAt(problems, path);
  const exact = (path: string) => problems.filter((p) => p.path === path);
  const patch = (changes: Partial<WhatsAppForm>) => set({ ...form, ...changes });
  return (
    <>
      <fieldset class="editor-part">
        <legend>Template</legend>
        <div class="field-row">
          <TextField
            id="tpl-language"
            label="Language"
            value={form.language}
            disabled={disabled}
            problems={at('/language')}
            hint="As approved, e.g. en, en_US"
            onInput={(language) => patch({ language })}
          />
          <SelectField
            id="tpl-category"
            label="Category"
            value={form.category}
            disabled={disabled}
            problems={at('/category')}
            options={['utility', 'marketing', 'authentication'].map((c) => ({ value: c, label: c }))}
            onChange={(category) => patch({ category })}
          />
          <SelectField
            id="tpl-parameter-format"
            label="Placeholders"
            value={form.parameterFormat}
            disabled={disabled}
            problems={at('/parameterFormat')}
            options={[
              { value: '', label: 'As written' },
              { value: 'named', label: 'Named ({{first_name}})' },
              { value: 'positional', label: 'Numbered ({{1}})' },
            ]}
            onChange={(value) => patch({ parameterFormat: value as WhatsAppForm['parameterFormat'] })}
          />
        </div>
      </fieldset>
      <fieldset class="editor-part">
        <legend>Message</legend>
        <SelectField
          id="tpl-header-format"
          label="Header"
          value={form.headerFormat}
          disabled={disabled}
          problems={exact('/header').concat(exact('/header/format'))}
          options={[
            { value: '', label: 'None' },
            { value: 'text', label: 'Text' },
            { value: 'image', label: 'Image' },
            { value: 'video', label: 'Video' },
            { value: 'document', label: 'Document' },
          ]}
          onChange={(value) => patch({ headerFormat: value as WhatsAppForm['headerFormat'] })}
        />
        {form.headerFormat === 'text' ? (
          <TextField
            id="tpl-header-text"
            label="Header text"
            value={form.headerText}
            disabled={disabled}
            problems={at('/header/text')}
            onInput={(headerText) => patch({ headerText })}
          />
        ) : null}
        {form.headerFormat && form.headerFormat !== 'text' ? (
          <TextField
            id="tpl-header-link"
            label={`The ${form.headerFormat}’s link`}
            value={form.headerLink}
            disabled={disabled}
            mono
            problems={at('/header/link')}
            hint="Liquid giving an https URL, e.g. {{ cart.image_url }}; or leave empty and give it as the header parameter."
            onInput={(headerLink) => patch({ headerLink })}
          />
        ) : null}
        {form.headerFormat && form.headerFormat !== 'text' ? (
          <TextField
            id="tpl-header-id"
            label={`Or the ${form.headerFormat}’s media id`}
            value={form.headerId}
            disabled={disabled}
            mono
            problems={at('/header/id')}
            hint="Liquid giving the id WhatsApp gave the uploaded media, instead of a link."
            onInput={(headerId) => patch({ headerId })}
          />
        ) : null}
        {form.headerFormat === 'document' ? (
          <TextField
            id="tpl-header-filename"
            label="File name"
            value={form.headerFilename}
            disabled={disabled}
            problems={at('/header/filename')}
            onInput={(headerFilename) => patch({ headerFilename })}
          />
        ) : null}
        <TextField
          id="tpl-body"
          label="Body"
          multiline
          value={form.body}
          disabled={disabled}
          problems={at('/body')}
          hint="Placeholders {{first_name}} or {{1}}, {{2}}…; each takes the parameter of its name below."
          onInput={(body) => patch({ body })}
        />
        <TextField
          id="tpl-footer"
          label="Footer"
          value={form.footer}
          disabled={disabled}
          problems={at('/footer')}
          onInput={(footer) => patch({ footer })}
        />
      </fieldset>
      <fieldset class="editor-part">
        <legend>Buttons</legend>
        <ButtonsEditor
          idPrefix="tpl-button"
          path="/buttons"
          buttons={form.buttons}
          problems={problems}
          disabled={disabled}
          onChange={(buttons) => patch({ buttons })}
        />
      </fieldset>
      <fieldset class="editor-part">
        <legend>Carousel cards</legend>
        <CardsEditor form={form} patch={patch} problems={problems} disabled={disabled} />
      </fieldset>
      <fieldset class="editor-part">
        <legend>Parameters</legend>
        <ParametersEditor form={form} patch={patch} problems={problems} disabled={disabled} />
      </fieldset>
    </>
  );
}

function ButtonsEditor(props: {
  idPrefix: string;
  path: string;
  buttons: ButtonForm[];
  problems: TemplateProblem[];
  disabled: boolean;
  onChange: (buttons: ButtonForm[]) => void;
}) {
  const { buttons, idPrefix, path, disabled } = props;
  const change = (i: number, changes: Partial<ButtonForm>) =>
    props.onChange(buttons.map((b, j) => (j === i ? { ...b, ...changes } : b)));
  const at = (p: string) => problemsAt(props.problems, p);
  return (
    <>
      {props.problems.some((p) => p.path === path) ? (
        <p class="field-error">{props.problems.find((p) => p.path === path)!.message}</p>
      ) : null}
      {buttons.map((button, i) => {
        const id = `${idPrefix}-${i}`;
        const bp = `${path}/${i}`;
        const n = i + 1;
        return (
          <fieldset class="repeat" key={i}>
            <legend class="sr-only">Button {n}</legend>
            <div class="field-row">
              <SelectField
                id={`${id}-type`}
                label={`Button ${n} type`}
                value={button.type}
                disabled={disabled}
                problems={props.problems.filter((p) => p.path === bp)}
                options={BUTTON_TYPES}
                onChange={(type) => change(i, { type: type as ButtonType })}
              />
              {button.type !== 'copy_code' ? (
                <TextField
                  id={`${id}-text`}
                  label={`Button ${n} text`}
                  value={button.text}
                  disabled={disabled}
                  problems={at(`${bp}/text`)}
                  onInput={(text) => change(i, { text })}
                />
              ) : null}
            </div>
            {button.type === 'url' ? (
              <TextField
                id={`${id}-url`}
                label={`Button ${n} link`}
                value={button.url}
                disabled={disabled}
                mono
                problems={at(`${bp}/url`)}
                hint="May end in one placeholder, e.g. https://shop.example/orders/{{1}}"
                onInput={(url) => change(i, { url })}
              />
            ) : null}
            {button.type === 'phone_number' ? (
              <TextField
                id={`${id}-phone`}
                label={`Button ${n} phone number`}
                value={button.phone}
                disabled={disabled}
                problems={at(`${bp}/phone`)}
                onInput={(phone) => change(i, { phone })}
              />
            ) : null}
            {button.type === 'quick_reply' ? (
              <TextField
                id={`${id}-payload`}
                label={`Button ${n} payload`}
                value={button.payload}
                disabled={disabled}
                mono
                problems={at(`${bp}/payload`)}
                hint="What comes back when the shopper taps it (optional)"
                onInput={(payload) => change(i, { payload })}
              />
            ) : null}
            {button.type === 'copy_code' ? (
              <TextField
                id={`${id}-code`}
                label={`Button ${n} code`}
                value={button.code}
                disabled={disabled}
                mono
                problems={at(`${bp}/code`)}
                onInput={(code) => change(i, { code })}
              />
            ) : null}
            {disabled ? null : (
              <button
                type="button"
                class="button button-quiet"
                onClick={() => props.onChange(buttons.filter((_, j) => j !== i))}
              >
                Remove button {n}
              </button>
            )}
          </fieldset>
        );
      })}
      {disabled ? null : (
        <button type="button" class="button" onClick={() => props.onChange([...buttons, emptyButton()])}>
          Add a button
        </button>
      )}
    </>
  );
}

function CardsEditor({
  form,
  patch,
  problems,
  disabled,
}: {
  form: WhatsAppForm;
  patch: (changes: Partial<WhatsAppForm>) => void;
  problems: TemplateProblem[];
  disabled: boolean;
}) {
  const change = (i: number, changes: Partial<CardForm>) =>
    patch({ cards: form.cards.map((c, j) => (j === i ? { ...c, ...changes } : c)) });
  const own = problems.filter((p) => p.path === '/carousel' || p.path === '/carousel/cards');
  return (
    <>
      {own.map((p) => (
        <p class="field-error" key={p.message}>
          {p.message}
        </p>
      ))}
      {form.cards.length === 0 ? <p class="hint">No carousel. A carousel has 2 to 10 cards.</p> : null}
      {form.cards.map((card, i) => {
        const id = `tpl-card-${i}`;
        const cp = `/carousel/cards/${i}`;
        const n = i + 1;
        return (
          <fieldset class="repeat" key={i}>
            <legend class="sr-only">Card {n}</legend>
            <div class="field-row">
              <SelectField
                id={`${id}-format`}
                label={`Card ${n} header`}
                value={card.format}
                disabled={disabled}
                options={[
                  { value: 'image', label: 'Image' },
                  { value: 'video', label: 'Video' },
                ]}
                onChange={(format) => change(i, { format: format as CardForm['format'] })}
              />
              <TextField
                id={`${id}-link`}
                label={`Card ${n} ${card.format} link`}
                value={card.link}
                disabled={disabled}
                mono
                problems={problemsAt(problems, `${cp}/header`).filter((p) => !p.path.endsWith('/id'))}
                onInput={(link) => change(i, { link })}
              />
              <TextField
                id={`${id}-media-id`}
                label={`Card ${n} media id`}
                value={card.id}
                disabled={disabled}
                mono
                problems={problemsAt(problems, `${cp}/header/id`)}
                onInput={(mediaId) => change(i, { id: mediaId })}
              />
            </div>
            <TextField
              id={`${id}-body`}
              label={`Card ${n} text`}
              value={card.body}
              disabled={disabled}
              problems={problemsAt(problems, `${cp}/body`)}
              onInput={(body) => change(i, { body })}
            />
            <ButtonsEditor
              idPrefix={`${id}-button`}
              path={`${cp}/buttons`}
              buttons={card.buttons}
              problems={problems}
              disabled={disabled}
              onChange={(buttons) => change(i, { buttons })}
            />
            {disabled ? null : (
              <button
                type="button"
                class="button button-quiet"
                onClick={() => patch({ cards: form.cards.filter((_, j) => j !== i) })}
              >
                Remove card {n}
              </button>
            )}
          </fieldset>
        );
      })}
      {disabled ? null : (
        <button type="button" class="button" onClick={() => patch({ cards: [...form.cards, emptyCard()] })}>
          Add a card
        </button>
      )}
    </>
  );
}

function ParametersEditor({
  form,
  patch,
  problems,
  disabled,
}: {
  form: WhatsAppForm;
  patch: (changes: Partial<WhatsAppForm>) => void;
  problems: TemplateProblem[];
  disabled: boolean;
}) {
  const rows = form.params;
  const keys = new Set(rows.map((r) => pointer('parameters', r.key)));
  // A problem about a parameter that has no row yet ("add it") shows above the rows.
  const loose = problems.filter((p) => p.path.startsWith('/parameters') && !keys.has(p.path));
  const change = (i: number, changes: Partial<{ key: string; value: string }>) =>
    patch({ params: rows.map((r, j) => (j === i ? { ...r, ...changes } : r)) });
  return (
    <>
      <p class="hint">
        Each placeholder or media slot takes a Liquid expression over the shopper’s real data:{' '}
        <code>{'{{ contact.first_name }}'}</code>,{' '}
        <code>{'{{ order.total | money_with_currency: order.currency }}'}</code>. Keys: a placeholder’s name or number,{' '}
        <code>header</code>, <code>button.0</code>, <code>card.0.1</code>.
      </p>
      {loose.length ? (
        <ul class="field-error field-problems">
          {loose.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path.replace('/parameters/', '')}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {rows.map((row, i) => {
        const path = pointer('parameters', row.key);
        return (
          <fieldset class="param-row" key={i}>
            <legend class="sr-only">Parameter {row.key || i + 1}</legend>
            <TextField
              id={`tpl-param-${i}-key`}
              label="Parameter"
              value={row.key}
              disabled={disabled}
              mono
              onInput={(key) => change(i, { key })}
            />
            <TextField
              id={`tpl-param-${i}-value`}
              label={`Value of ${row.key || 'the parameter'}`}
              value={row.value}
              disabled={disabled}
              mono
              wide
              problems={problems.filter((p) => p.path === path)}
              onInput={(value) => change(i, { value })}
            />
            {disabled ? null : (
              <button
                type="button"
                class="button button-quiet"
                aria-label={`Remove parameter ${row.key}`}
                onClick={() => patch({ params: rows.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
            )}
          </fieldset>
        );
      })}
      {disabled ? null : (
        <button type="button" class="button" onClick={() => patch({ params: [...rows, { key: '', value: '' }] })}>
          Add a parameter
        </button>
      )}
    </>
  );
}
