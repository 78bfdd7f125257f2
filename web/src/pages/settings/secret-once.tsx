import { useState } from 'preact/hooks';

/** A secret shown this once, selectable, with a copy button; the page forgets it when left. */
export function SecretOnce({ id, label, value, note }: { id: string; label: string; value: string; note: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied.');
    } catch {
      setCopied('Could not copy: select the text and copy it yourself.');
    }
  };
  return (
    <div class="notice notice-warn" role="status">
      <p class="notice-title">
        <label for={id}>{label}</label>
      </p>
      <div class="secret-once">
        <input
          id={id}
          readOnly
          value={value}
          spellcheck={false}
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
        <button type="button" class="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p>{note}</p>
      {copied ? <p aria-live="polite">{copied}</p> : null}
    </div>
  );
}
