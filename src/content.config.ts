// The content collections. Each schema comes from the domain core, so the
// site, the API and the content check share one definition of every shape.
// Cross-collection rules (references, weights, publicity windows) are checked
// by scripts/lib/content.ts, which the Astro config runs before every build.

import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import * as s from './domain/schemas';

const data = (name: string) => glob({ pattern: '*.{yaml,yml,json}', base: `./src/content/${name}` });

export const collections = {
  appraisals: defineCollection({ loader: data('appraisals'), schema: s.appraisal }),
  units: defineCollection({ loader: data('units'), schema: s.unit }),
  officials: defineCollection({ loader: data('officials'), schema: s.official }),
  teams: defineCollection({ loader: data('teams'), schema: s.team }),
  observers: defineCollection({ loader: data('observers'), schema: s.observer }),
  indicators: defineCollection({ loader: data('indicators'), schema: s.indicatorSystem }),
  summaries: defineCollection({
    loader: glob({ pattern: '*.md', base: './src/content/summaries' }),
    schema: s.summary,
  }),
  instruments: defineCollection({ loader: data('instruments'), schema: s.instrumentSource }),
  results: defineCollection({ loader: data('results'), schema: s.result }),
  // Final opinion tallies pulled from D1 by `npm run results:snapshot`: the public record.
  snapshots: defineCollection({ loader: data('snapshots'), schema: s.snapshot }),
};
