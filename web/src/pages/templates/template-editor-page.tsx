import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { type DraftVerdict, type TemplateProblem, type TemplateView, templatePath } from '../../api/templates.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link, navigate } from '../../router/history.js';
import { channelName } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { InlineProblem, Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import {
  blankForm,
  canonical,
  canEditTemplates,
  definitionOf,
  formOf,
  type MessengerForm,
  pointer,
  problemsAt,
  type TemplateForm,
  useSettled,
} from './draft.js';
import { SelectField, TextField } from './fields.js';
import { PreviewPanel, type RenderProblem } from './preview-panel.js';
import { WhatsAppFields } from './whatsapp-fields.js';
import './templates.css';

/** One template: its editor (checked by the API as it is typed) beside the phone preview. */
export function TemplateEditorPage({ params, search }: PageProps) {
  const name = params.name!;
  const fresh = search.get('new');
  const loaded = useApi<TemplateView>(templatePath(name));
  // What this page saved last: the template as the API answered the PUT (no reload needed).
  const [saved, setSaved] = useState<TemplateView | null>(null);
  const missing = loaded.error instanceof ApiError && loaded.error.status === 404;

  if (!saved && loaded.error && !(missing && (fresh === 'whatsapp' || fresh === 'messenger')))
    return <LoadProblem error={loaded.error} what="template" retry={loaded.reload} />;
  if (!saved && loaded.loading)
    return (
      <>
        <PageHeading title={name} />
        <Loading label="Loading the template…" />
      </>
    );
  const stored = saved ?? (missing ? null : loaded.data);
  return (
    <Editor
      key={name}
      name={name}
      stored={stored}
      onSaved={setSaved}
      channel={stored?.channel ?? (fresh as 'whatsapp' | 'messenger')}
    />
  );
}

type SaveState = { status: 'idle' | 'saving' | 'saved' } | { status: 'failed'; error: Error };

function Editor({
  name,
  stored,
  onSaved,
  channel,
}: {
  name: string;
  stored: TemplateView | null;
  onSaved: (view: TemplateView) => void;
  channel: 'whatsapp' | 'messenger';
}) {
  const { api, link, store } = useStore();
  const editable = canEditTemplates(store.role);
  const [form, setForm] = useState<TemplateForm>(() => (stored ? formOf(stored.definition) : blankForm(channel)));
  const definition = useMemo(() => definitionOf(form), [form]);
  const dirty = !stored || canonical(definition) !== canonical(stored.definition);
  const [problems, setProblems] = useState<TemplateProblem[]>([]);
  const [renderProblem, setRenderProblem] = useState<RenderProblem | null>(null);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });

  // The API checks the draft as it is typed (the same rules PUT applies; none kept here).
  const settled = useSettled(definition, 250);
  const seq = useRef(0);
  useEffect(() => {
    if (!editable) return;
    const mine = ++seq.current;
    api.send<DraftVerdict>('POST', templatePath(name, '/validate'), settled).then(
      (verdict) => {
        if (mine === seq.current) setProblems(verdict.problems);
      },
      () => {
        // A failed check leaves the last answer; saving still reports the API's verdict.
      },
    );
  }, [JSON.stringify(settled), name, editable]);

  // A parameter that renders badly for this contact shows at its own field too.
  const shown = [...problems];
  if (renderProblem?.parameter && form.channel === 'whatsapp') {
    const path = pointer('parameters', renderProblem.parameter);
    if (form.params.some((row) => pointer('parameters', row.key) === path))
      shown.push({ path, message: renderProblem.message });
  }

  const onSave = async (event: Event) => {
    event.preventDefault();
    setSave({ status: 'saving' });
    try {
      const view = await api.send<TemplateView>('PUT', templatePath(name), definition);
      setSave({ status: 'saved' });
      onSaved(view);
      if (!stored) navigate(link(`/templates/${encodeURIComponent(name)}`), { replace: true });
    } catch (error) {
      if (error instanceof ApiError && Array.isArray(error.details?.problems))
        setProblems(error.details.problems as TemplateProblem[]);
      setSave({ status: 'failed', error: error as Error });
    }
  };

  const onDelete = async () => {
    const what = stored?.overridesBuiltIn ? 'Go back to the built-in template' : `Delete the template ${name}`;
    if (!window.confirm(`${what}? Journeys and send requests that name it will use what is left.`)) return;
    try {
      await api.send('DELETE', templatePath(name));
      navigate(link('/templates'));
    } catch (error) {
      setSave({ status: 'failed', error: error as Error });
    }
  };

  const nameProblems = problems.filter((p) => p.path === 'params/name');
  return (
    <>
      <p class="breadcrumb">
        <Link href={link('/templates')}>Templates</Link>
      </p>
      <PageHeading title={name}>
        <p class="subtitle">
          {channelName(channel)} template
          {stored?.builtIn ? ' · built in' : stored?.overridesBuiltIn ? ' · replaces a built-in one' : ''}
          {!stored ? ' · new, not saved yet' : ''}
          {editable ? '' : ' · you can read and preview it; owners and marketers change it'}
        </p>
      </PageHeading>
      <div class="editor">
        <form class="editor-form" aria-label="Template" onSubmit={onSave} noValidate>
          <p class="editor-jump">
            <a href="#preview-title">See the preview</a>
          </p>
          {nameProblems.length ? (
            <div class="notice notice-bad" role="alert">
              <p>
                The name “{name}”: {nameProblems[0]!.message}. <Link href={link('/templates')}>Start again</Link> with
                another name.
              </p>
            </div>
          ) : null}
          {form.channel === 'whatsapp' ? (
            <WhatsAppFields form={form} set={setForm} problems={shown} disabled={!editable} />
          ) : (
            <MessengerFields form={form} set={setForm} problems={shown} disabled={!editable} />
          )}
          {editable ? (
            <div class="editor-actions">
              <p class="editor-verdict" role="status">
                {problems.length === 0
                  ? dirty
                    ? 'No problems found.'
                    : 'Saved.'
                  : `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} to fix before saving.`}
              </p>
              <button type="submit" class="button button-primary" disabled={save.status === 'saving' || !dirty}>
                {save.status === 'saving' ? 'Saving…' : 'Save template'}
              </button>
              {stored && !stored.builtIn ? (
                <button type="button" class="button button-quiet" onClick={onDelete}>
                  {stored.overridesBuiltIn ? 'Use the built-in one again' : 'Delete template'}
                </button>
              ) : null}
            </div>
          ) : null}
          {save.status === 'failed' ? <InlineProblem error={save.error} /> : null}
        </form>
        <div class="editor-preview">
          <PreviewPanel
            templateName={name}
            definition={definition}
            asDraft={dirty}
            onRenderProblem={setRenderProblem}
          />
        </div>
      </div>
    </>
  );
}

function MessengerFields(props: {
  form: MessengerForm;
  set: (form: MessengerForm) => void;
  problems: TemplateProblem[];
  disabled: boolean;
}) {
  const { form, set, problems, disabled } = props;
  return (
    <fieldset class="editor-part">
      <legend>Messenger template</legend>
      <SelectField
        id="tpl-messenger-type"
        label="Kind"
        value={form.type}
        disabled={disabled}
        problems={problemsAt(problems, '/type')}
        options={[
          { value: 'receipt', label: 'Receipt' },
          { value: 'shipping_update', label: 'Shipping update' },
        ]}
        onChange={(type) => set({ ...form, type: type as MessengerForm['type'] })}
      />
      <SelectField
        id="tpl-messenger-tag"
        label="Message tag"
        value={form.tag}
        disabled={disabled}
        problems={problemsAt(problems, '/tag')}
        options={[
          { value: '', label: 'Post-purchase update (default)' },
          { value: 'CONFIRMED_EVENT_UPDATE', label: 'Confirmed event update' },
          { value: 'ACCOUNT_UPDATE', label: 'Account update' },
        ]}
        onChange={(tag) => set({ ...form, tag })}
      />
      {form.type === 'shipping_update' ? (
        <TextField
          id="tpl-messenger-button"
          label="Tracking button’s title"
          value={form.buttonTitle}
          disabled={disabled}
          problems={problemsAt(problems, '/buttonTitle')}
          hint="“Track package” when empty"
          onInput={(buttonTitle) => set({ ...form, buttonTitle })}
        />
      ) : null}
      <p class="hint">
        Messenger templates are built from the values a send request gives (params): try them in the preview.
      </p>
    </fieldset>
  );
}
