import type { TemplateProblem } from '../../api/templates.js';
import { ButtonsEditor } from './buttons-editor.js';
import { type CardForm, emptyCard, problemsAt, type WhatsAppForm } from './draft.js';
import { SelectField, TextField } from './fields.js';

/** A carousel's cards: each an image or video header, a text and its own buttons. */
export function CardsEditor({
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
