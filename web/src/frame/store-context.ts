import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { StoreApi } from '../api/client.js';
import type { Session, SessionStore } from '../api/types.js';

/** The store the dashboard is showing, the signed-in user's role in it, and its API. */
export interface StoreContextValue {
  store: SessionStore;
  session: Session;
  api: StoreApi;
  /** A path under this store: `link('/contacts/ct_1')` → `/stores/st_…/contacts/ct_1`. */
  link(path: string): string;
}

export const StoreContext = createContext<StoreContextValue | null>(null);

export function useStore(): StoreContextValue {
  const value = useContext(StoreContext);
  if (!value) throw new Error('useStore outside a store page');
  return value;
}
