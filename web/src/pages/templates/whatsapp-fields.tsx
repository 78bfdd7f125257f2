import type { TemplateProblem } from '../../api/templates.js';
import { ButtonsEditor } from './buttons-editor.js';
import { CardsEditor } from './cards-editor.js';
import { problemsAt, type WhatsAppForm } from './draft.js';
import { SelectField, TextField } from './fields.js';
import { ParametersEditor } from './parameters-editor.js';

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
