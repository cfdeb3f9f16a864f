// Statistical disclosure control: which published counts would come close to
// naming people (a cell of 1-4 raters in a category of a few deputies). The
// threshold is per appraisal (`disclosure.minCell`, default 5).
import type { Appraisal } from './schemas/appraisal';

export const DEFAULT_MIN_CELL = 5;

export const minCellOf = (a: Pick<Appraisal, 'disclosure'> | undefined) => a?.disclosure.minCell ?? DEFAULT_MIN_CELL;

/** A count the public may not see as it is: more than nobody, fewer than k. */
export const isSmallCell = (n: number, k: number) => n > 0 && n < k;

/** Whether a score or share computed from `answers` answers may be published. */
export const mayPublishFigure = (answers: number, k: number) => answers >= k;
