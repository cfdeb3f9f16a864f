// Names the console shows instead of ids, handed over by the page at build time.
export interface Names {
  appraisals: Record<string, string>;
  units: Record<string, string>;
  /** "unit:<id>", "official:<id>", "group:<id>" → name. */
  subjects: Record<string, string>;
  /** "<appraisal>:<rater category>" → label (rater categories are content, per appraisal). */
  categories?: Record<string, string>;
}

export const subjectLabel = (names: Names, s: { kind: string; id: string } | null, none: string) =>
  s ? (names.subjects[`${s.kind}:${s.id}`] ?? s.id) : none;
