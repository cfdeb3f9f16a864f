import type { Bindings } from './env';

/** The clock: KAOPING_NOW pins it for demos and e2e runs, never in production. */
export function clock(env: Pick<Bindings, 'KAOPING_NOW' | 'ENVIRONMENT'>, fallback?: () => Date): () => Date {
  if (fallback) return fallback;
  if (env.KAOPING_NOW && env.ENVIRONMENT !== 'production') {
    const fixed = new Date(env.KAOPING_NOW);
    if (!Number.isNaN(fixed.getTime())) return () => fixed;
  }
  return () => new Date();
}
