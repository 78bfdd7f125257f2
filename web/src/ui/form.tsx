import { useState } from 'preact/hooks';
import { ApiError, NETWORK_ERROR } from '../api/client.js';

/** The parts of every form that changes something: its action's progress and outcome, its labelled fields. */

/** What a failed change says: the API's own words, which name the field and what it needs. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === NETWORK_ERROR) return error.message;
    return `${error.message} (${error.code})`;
  }
  return error instanceof Error ? error.message : 'That did not work. Try again.';
}

/** A change in progress: busy while it runs, then its failure or its success in words. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async <T,>(work: () => Promise<T>, success?: string): Promise<T | null> => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await work();
      if (success) setDone(success);
      return result;
    } catch (failure) {
      setError(describeFailure(failure));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    error,
    done,
    run,
    clear: () => {
      setError(null);
      setDone(null);
    },
  };
}

/** The outcome of a form, announced to screen readers. */
export function Outcome({ error, done }: { error: string | null; done: string | null }) {
  if (error)
    return (
      <p class="notice notice-bad" role="alert">
        {error}
      </p>
    );
  if (done)
    return (
      <p class="notice notice-good" role="status">
        {done}
      </p>
    );
  return null;
}

/** The input's own attributes (name, type, required, defaultValue...), passed on as they are. */
export type InputProps = { id: string; label: string; hint?: string } & Record<
  string,
  string | number | boolean | undefined
>;

/** A labelled input with its hint read out with it. */
export function Field({ id, label, hint, ...input }: InputProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
