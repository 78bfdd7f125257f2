import type { TemplateProblem } from '../../api/templates.js';
import { pointer, type WhatsAppForm } from './draft.js';
import { TextField } from './fields.js';

/** Each placeholder's or slot's Liquid expression; a problem about a key with no row shows above the rows. */
export function ParametersEditor({
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
