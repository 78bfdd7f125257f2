import type { Db } from '../../storage/database.js';
import { getTemplate, listTemplates, type StoredTemplate } from '../../storage/templates.js';
import { builtInTemplate, builtInTemplates } from './messenger.js';
import type { TemplateDefinition } from './schema.js';

/** A template a store can send: its own, or a built-in one it has not replaced. */
export interface ResolvedTemplate {
  name: string;
  definition: TemplateDefinition;
  builtIn: boolean;
  /** The store's own template carries the name of a built-in one, which it replaces. */
  overridesBuiltIn: boolean;
  createdAt: number | null;
  updatedAt: number | null;
}

/** A stored template as the API shows it. */
export const ownTemplate = (stored: StoredTemplate): ResolvedTemplate => ({
  name: stored.name,
  definition: stored.definition as unknown as TemplateDefinition,
  builtIn: false,
  overridesBuiltIn: builtInTemplate(stored.name) !== null,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
});

const builtIn = (name: string, definition: TemplateDefinition): ResolvedTemplate => ({
  name,
  definition,
  builtIn: true,
  overridesBuiltIn: false,
  createdAt: null,
  updatedAt: null,
});

/** The template a store sends under `name`, or null. */
export async function findTemplate(db: Db, storeId: string, name: string): Promise<ResolvedTemplate | null> {
  const stored = await getTemplate(db, storeId, name);
  if (stored) return ownTemplate(stored);
  const fallback = builtInTemplate(name);
  return fallback ? builtIn(fallback.name, fallback.definition) : null;
}

/** Every template the store can send, by name. */
export async function templatesOfStore(db: Db, storeId: string): Promise<ResolvedTemplate[]> {
  const stored = (await listTemplates(db, storeId)).map(ownTemplate);
  const names = new Set(stored.map((t) => t.name));
  const all = [
    ...stored,
    ...builtInTemplates.filter((t) => !names.has(t.name)).map((t) => builtIn(t.name, t.definition)),
  ];
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
