// The content collections, one per entry of the registry in the domain core
// (src/domain/collections.ts), so the site, the API and the content check
// share one list and one schema of every shape. Cross-collection rules
// (references, weights, publicity windows) are checked by src/build/content.ts,
// which the Astro config runs before every build.

import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import {
  type CollectionName,
  type Collections,
  collectionNames,
  filePattern,
  collections as registry,
} from './domain/collections';

const collection = (name: CollectionName) =>
  defineCollection({
    loader: glob({ pattern: filePattern(registry[name].format), base: `./src/content/${name}` }),
    schema: registry[name].schema,
  });

// Astro types each collection's entries from its `schema` here, so every name keeps its own schema's type.
type AstroCollections = {
  [K in CollectionName]: Omit<ReturnType<typeof collection>, 'schema'> & Pick<Collections[K], 'schema'>;
};

export const collections = Object.fromEntries(
  collectionNames.map((name) => [name, collection(name)]),
) as AstroCollections;
