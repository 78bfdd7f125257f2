import type { TemplateProblem } from '../../api/templates.js';
import { type ButtonForm, type ButtonType, emptyButton, problemsAt } from './draft.js';
import { SelectField, TextField } from './fields.js';

const BUTTON_TYPES: { value: ButtonType; label: string }[] = [
  { value: 'quick_reply', label: 'Quick reply' },
  { value: 'url', label: 'Link' },
  { value: 'phone_number', label: 'Call' },
  { value: 'copy_code', label: 'Copy code' },
  { value: 'catalog', label: 'Catalog' },
];

/** A template's (or a carousel card's) buttons, each with the fields its type takes. */
export function ButtonsEditor(props: {
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
