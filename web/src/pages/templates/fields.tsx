import type { ComponentChildren } from 'preact';
import type { TemplateProblem } from '../../api/templates.js';
import '../../ui/form-layout.css';

/**
 * A labelled input whose problems (from the API's check of the draft) show under it, tied to it
 * with aria-describedby and aria-invalid so a screen reader reads them with the field.
 */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  problems?: TemplateProblem[];
  hint?: ComponentChildren;
  multiline?: boolean;
  disabled?: boolean;
  mono?: boolean;
  wide?: boolean;
}) {
  const problems = props.problems ?? [];
  const described = [props.hint ? `${props.id}-hint` : '', problems.length ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id: props.id,
    value: props.value,
    disabled: props.disabled,
    class: props.mono ? 'mono' : undefined,
    'aria-invalid': problems.length ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={props.wide ? 'field field-wide' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.multiline ? <textarea {...common} rows={4} /> : <input type="text" {...common} />}
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <FieldProblems id={`${props.id}-error`} problems={problems} />
    </div>
  );
}

export function SelectField(props: {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  problems?: TemplateProblem[];
  disabled?: boolean;
}) {
  const problems = props.problems ?? [];
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={problems.length ? 'true' : undefined}
        aria-describedby={problems.length ? `${props.id}-error` : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldProblems id={`${props.id}-error`} problems={problems} />
    </div>
  );
}

export function FieldProblems({ id, problems }: { id: string; problems: TemplateProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul class="field-error field-problems" id={id}>
      {problems.map((p) => (
        <li key={`${p.path}:${p.message}`}>{p.message}</li>
      ))}
    </ul>
  );
}
