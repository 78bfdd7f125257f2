import type { ComponentChildren } from 'preact';
import { navigate, withSearch } from '../router/history.js';

/** Filters live in the URL, so a filtered list can be reloaded, bookmarked and shared. */
export function setFilter(name: string, value: string): void {
  navigate(withSearch({ [name]: value || null }), { replace: true });
}

export function SelectFilter(props: {
  id: string;
  label: string;
  name: string;
  value: string;
  options: { value: string; label: string }[];
  anyLabel: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => setFilter(props.name, (e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">{props.anyLabel}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function DateFilter(props: { id: string; label: string; name: string; value: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="date"
        value={props.value}
        onChange={(e) => setFilter(props.name, (e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}

export function FilterBar({
  label,
  children,
  active,
}: {
  label: string;
  children: ComponentChildren;
  active: boolean;
}) {
  return (
    <form class="toolbar" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      {children}
      {active ? (
        <button
          type="button"
          class="button button-quiet"
          onClick={() => navigate(window.location.pathname, { replace: true })}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
