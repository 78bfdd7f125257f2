import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { type PreviewAnswer, type TemplateDefinition, templatePath } from '../../api/templates.js';
import { useStore } from '../../frame/store-context.js';
import { useContactPicker } from '../../ui/contact-picker.js';
import { useSettled } from './draft.js';
import { PhonePreview } from './phone-preview.js';

/** Values a send request would carry: Messenger templates are built from nothing else. */
const SAMPLE_PARAMS: Record<string, unknown> = {
  shipping_update: {
    package_number: 'PKG-1042',
    package_status: 'out_for_delivery',
    package_status_description: 'With the courier, arriving today',
    detailed_tracking_url: 'https://shop.example/track/PKG-1042',
    fb_first_name: 'Priya',
  },
  receipt: {
    receipt: {
      recipient_name: 'Priya Sharma',
      order_number: '1042-A',
      currency: 'INR',
      payment_method: 'Cash on delivery',
      summary: { total_cost: 1799 },
      elements: [{ title: 'Denim Shirt - Blue', price: 1799, quantity: 1 }],
    },
  },
};

export function sampleParams(definition: TemplateDefinition): string {
  const sample = definition.channel === 'messenger' ? SAMPLE_PARAMS[String(definition.type)] : undefined;
  return sample ? JSON.stringify(sample, null, 2) : '{}';
}

/** A render failure the editor shows on the parameter at fault. */
export interface RenderProblem {
  code: string;
  parameter: string | null;
  message: string;
}

type State =
  | { status: 'loading' }
  | { status: 'ok'; answer: PreviewAnswer }
  | { status: 'failed'; problem: RenderProblem };

/**
 * The draft rendered by the preview API for a contact the user picks (and one of their orders),
 * drawn as the shopper's phone would show it. Asks again whenever the draft settles.
 */
export function PreviewPanel(props: {
  templateName: string;
  definition: TemplateDefinition;
  /** Send the draft (a new or changed template) rather than render the stored one. */
  asDraft: boolean;
  onRenderProblem: (problem: RenderProblem | null) => void;
}) {
  const { api, store } = useStore();
  const picker = useContactPicker('preview');
  const [params, setParams] = useState(() => sampleParams(props.definition));
  const chosen = picker.picked.contactId;
  const order = picker.picked.orderId;

  let parsedParams: Record<string, unknown> | null = null;
  let paramsProblem: string | null = null;
  try {
    const value = JSON.parse(params || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsedParams = value;
    else paramsProblem = 'Give the values as a JSON object: {"name": "value"}.';
  } catch (error) {
    paramsProblem = `Not JSON yet: ${(error as Error).message}`;
  }

  const request = useSettled(
    {
      contactId: chosen,
      orderId: order || undefined,
      params: parsedParams ?? undefined,
      definition: props.asDraft ? props.definition : undefined,
    },
    300,
  );
  const [state, setState] = useState<State>({ status: 'loading' });
  const seq = useRef(0);
  const isMessenger = props.definition.channel === 'messenger';
  const ready = isMessenger || Boolean(request.contactId);

  useEffect(() => {
    if (!ready) return;
    const mine = ++seq.current;
    setState({ status: 'loading' });
    const body = isMessenger ? { params: request.params, definition: request.definition } : request;
    api.send<PreviewAnswer>('POST', templatePath(props.templateName, '/preview'), body).then(
      (answer) => {
        if (mine !== seq.current) return;
        setState({ status: 'ok', answer });
        props.onRenderProblem(null);
      },
      (error: Error) => {
        if (mine !== seq.current) return;
        const parameter = error instanceof ApiError ? (error.details?.parameter as string | undefined) : undefined;
        const problem = {
          code: error instanceof ApiError ? error.code : 'ERROR',
          parameter: parameter ?? null,
          message: error.message,
        };
        setState({ status: 'failed', problem });
        props.onRenderProblem(problem.code === 'TEMPLATE_INVALID' ? null : problem);
      },
    );
  }, [JSON.stringify(request), props.templateName, ready]);

  return (
    <section class="panel preview-panel" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      {isMessenger ? null : picker.fields}
      <details class="preview-params" open={isMessenger}>
        <summary>Values a send request gives (params)</summary>
        <div class="field">
          <label for="preview-params">Params (JSON)</label>
          <textarea
            id="preview-params"
            class="mono"
            rows={isMessenger ? 10 : 3}
            value={params}
            aria-invalid={paramsProblem ? 'true' : undefined}
            aria-describedby={paramsProblem ? 'preview-params-error' : undefined}
            onInput={(e) => setParams((e.currentTarget as HTMLTextAreaElement).value)}
          />
          {paramsProblem ? (
            <p class="field-error" id="preview-params-error">
              {paramsProblem}
            </p>
          ) : null}
        </div>
      </details>
      <div class="preview-out" aria-live="polite">
        {!ready ? <p class="muted">Add a contact to the store to see the preview with their data.</p> : null}
        {ready && state.status === 'loading' ? <p class="loading">Rendering…</p> : null}
        {state.status === 'failed' ? <PreviewFailure problem={state.problem} /> : null}
        {state.status === 'ok' ? (
          <>
            <PhonePreview preview={state.answer.preview} from={store.name} channel={state.answer.channel} />
            <details class="preview-payload">
              <summary>The request {state.answer.channel === 'messenger' ? 'Messenger' : 'WhatsApp'} gets</summary>
              <pre>{JSON.stringify(state.answer.payload, null, 2)}</pre>
            </details>
          </>
        ) : null}
      </div>
    </section>
  );
}

function PreviewFailure({ problem }: { problem: RenderProblem }) {
  if (problem.code === 'TEMPLATE_INVALID')
    return (
      <div class="notice notice-warn preview-failure">
        <p>The template has problems (shown beside the fields): fix them to see the preview.</p>
      </div>
    );
  const title =
    problem.code === 'MISSING_PARAMETER'
      ? 'A value is missing for this contact'
      : problem.code === 'INVALID_PARAMETER'
        ? 'A value WhatsApp would refuse'
        : 'No preview';
  return (
    <div class="notice notice-bad preview-failure">
      <p class="notice-title">{title}</p>
      <p>
        {problem.parameter ? (
          <>
            Parameter <code>{problem.parameter}</code>:{' '}
          </>
        ) : null}
        {problem.message}
      </p>
    </div>
  );
}
