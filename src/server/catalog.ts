import type { RuntimeCatalog } from '../domain/catalog';
// Emitted from src/content by the content check (`npm run content`, also run by `astro build`).
import data from '../generated/catalog.json';

// The emitter (scripts/lib/content.ts) is typed as RuntimeCatalog; JSON imports lose literal types.
export const defaultCatalog = data as unknown as RuntimeCatalog;

export function findInstrument(catalog: RuntimeCatalog, id: string) {
  return catalog.instruments.find((i) => i.id === id);
}
