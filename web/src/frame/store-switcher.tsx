import type { SessionStore } from '../api/types.js';
import { navigate } from '../router/history.js';
import { findRoute, sectionsFor, storePath } from './sections.js';

/**
 * Which store the dashboard shows, for a user in several (an agency). Switching keeps the same
 * part of the dashboard when the role in the other store may open it.
 */
export function StoreSwitcher(props: { stores: SessionStore[]; current: SessionStore; sectionPath: string | null }) {
  const { stores, current } = props;
  if (stores.length < 2) {
    return (
      <div class="store-switcher">
        <span class="store-switcher-label">Store</span>
        <span class="store-switcher-name">{current.name}</span>
        <span class="store-switcher-role">{current.role}</span>
      </div>
    );
  }
  const change = (event: Event) => {
    const target = stores.find((s) => s.id === (event.currentTarget as HTMLSelectElement).value);
    if (!target) return;
    const section = props.sectionPath ? findRoute(props.sectionPath)?.section : null;
    const allowed = sectionsFor(target.role);
    const landing = section && allowed.includes(section) ? section.path : (allowed[0]?.path ?? '');
    navigate(storePath(target.id, landing));
  };
  return (
    <div class="store-switcher">
      <label class="store-switcher-label" for="store-switcher">
        Store
      </label>
      <select id="store-switcher" value={current.id} onChange={change}>
        {stores.map((store) => (
          <option key={store.id} value={store.id}>
            {store.name} ({store.role})
          </option>
        ))}
      </select>
    </div>
  );
}
