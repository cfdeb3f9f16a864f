// What a printed ballot carries: the same questions, options and grades as the
// online form, minus free text (a comment written on paper is read at the
// meeting, never keyed, so no handwriting enters the count). The print CLI
// lays these out; the keying console validates a keyed sheet against them.
import type { Instrument } from './schemas/instrument';
import type { Question } from './schemas/question';

export type PaperQuestion = Exclude<Question, { type: 'text' }>;

/** The questions printed and keyed, in the order of the online form. */
export function paperQuestions(inst: Pick<Instrument, 'questions'>): PaperQuestion[] {
  return inst.questions.filter((q): q is PaperQuestion => q.type !== 'text');
}

/** Paper ballots belong to code instruments: a meeting hands out sheets to the categories that hold codes. */
export const takesPaper = (inst: Pick<Instrument, 'access' | 'raterCategories'>) =>
  inst.access === 'code' && inst.raterCategories.length > 0;
