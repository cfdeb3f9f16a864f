import { parseRuntimeCatalog, type RuntimeCatalog } from '../domain/catalog';
// Emitted from src/content by the content check (`npm run content`, also run by `astro build`).
import data from '../generated/catalog.json';

// Checked once, when the bundle loads (not per request): a stale or corrupt file fails at startup, naming the field.
export const defaultCatalog: RuntimeCatalog = parseRuntimeCatalog(data, 'src/generated/catalog.json');

export function findInstrument(catalog: RuntimeCatalog, id: string) {
  return catalog.instruments.find((i) => i.id === id);
}
