import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';

export interface SettingsFormProps<T> {
  current: T;
  onSaved: () => void;
  onEdit: () => void;
}

/**
 * A settings page's body: the settings as the API has them, in a form that starts again from
 * what was saved (the API's own spelling of it) after each save; the "Saved" note outlives it.
 */
export function SavedSettings<T>({
  path,
  savedNote,
  Form,
}: {
  path: string;
  savedNote: string;
  Form: (props: SettingsFormProps<T>) => JSX.Element;
}) {
  const settings = useApi<T>(path);
  const [saved, setSaved] = useState(false);
  return (
    <>
      {settings.error ? <InlineProblem error={settings.error} retry={settings.reload} /> : null}
      {settings.loading && !settings.data ? <Loading /> : null}
      {saved ? (
        <p class="notice notice-good" role="status">
          {savedNote}
        </p>
      ) : null}
      {settings.data ? (
        <Form
          key={JSON.stringify(settings.data)}
          current={settings.data}
          onEdit={() => setSaved(false)}
          onSaved={() => {
            setSaved(true);
            settings.reload();
          }}
        />
      ) : null}
    </>
  );
}
