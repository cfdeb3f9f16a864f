import { z } from 'zod';
import { RECEIPT_PATTERN } from '../receipt';
import { id } from './common';
import { codeInput, turnstileToken } from './credential';
import { instrument, instrumentStatus } from './instrument';
import { key, subjectRef } from './question';
import { codeCategory, raterCategory } from './rater-category';
import { scoreRule, validityResult } from './score-rule';
import { spendToken, tokenScope } from './token';

/** One answer: an option id, several option ids, or text. */
export const answerValue = z.union([z.string().max(5000), z.array(z.string().max(100)).max(200)]);
/**
 * Answers keyed by question id. The request schema checks only the keys:
 * `answersSchema` (src/domain/instrument.ts) checks every value against the
 * instrument right after, so checking each value here too only cost time on
 * the submission path (a 150-question ballot parsed three times slower). The
 * document still shows the value shape.
 */
const { $schema: _, ...answerValueDoc } = z.toJSONSchema(answerValue, { io: 'input' });
export const answers = z.record(key, z.unknown()).meta({ additionalProperties: answerValueDoc });

export const verifyCodeRequest = z.strictObject({ code: codeInput, turnstileToken }).meta({ id: 'VerifyCodeRequest' });

/**
 * An instrument's status for one code: `done` once this code has taken its
 * token for it (whether the token was spent since cannot be known: that is the point).
 */
export const codeInstrumentStatus = z.enum([...instrumentStatus.options, 'done']);

export const verifyCodeResponse = z
  .object({
    appraisal: id,
    raterCategory: codeCategory,
    /** The subjects a targeted code (定点定向) may rate, or '*'; an instrument lists only those of them. */
    scope: tokenScope,
    instruments: z.array(
      z.object({
        id,
        title: z.string(),
        kind: instrument.shape.kind,
        status: codeInstrumentStatus,
        opensAt: z.string(),
        closesAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'VerifyCodeResponse' });
export type VerifyCodeResponse = z.infer<typeof verifyCodeResponse>;

/**
 * A response. Code instruments: the token bought with the code (never the
 * code itself; Turnstile optional, the token is the gate). Public instruments:
 * no token, a Turnstile token required.
 */
export const submitRequest = z
  .strictObject({ token: spendToken.optional(), turnstileToken: turnstileToken.optional(), answers })
  .meta({ id: 'SubmitRequest' });
export type SubmitRequest = z.infer<typeof submitRequest>;

/** A receipt: 16 Crockford base32 characters, shown XXXX-XXXX-XXXX-XXXX. */
export const receipt = z.string().regex(RECEIPT_PATTERN, '回执号格式不正确');

export const submitResponse = z
  .object({ receipt, instrument: id, recordedOn: z.string() })
  .meta({ id: 'SubmitResponse' });
export type SubmitResponseBody = z.infer<typeof submitResponse>;

/** A receipt to check travels in a body, never in a URL a request log would keep. */
export const receiptCheckRequest = z
  .strictObject({ receipt: z.string().min(4).max(40) })
  .meta({ id: 'ReceiptCheckRequest' });

export const receiptStatus = z.object({ instrument: id, recordedOn: z.string() }).meta({ id: 'ReceiptStatus' });

export const instrumentWithStatus = instrument.extend({ status: instrumentStatus }).meta({ id: 'Instrument' });

export const turnoutBody = z
  .object({
    instrument: id,
    asOf: z.string(),
    /** Responses are shown in multiples of this (5 before close, 1 after): see `shownTurnout`. */
    step: z.number().int().positive(),
    /** Null after close when suppressed (small-cell suppression, see `PublicCount`). */
    total: z.number().int().nullable(),
    categories: z.array(
      z.object({
        raterCategory,
        /** Null with `suppressed: true` after close when 1..k-1 or recomputable from published counts. */
        responses: z.number().int().nullable(),
        suppressed: z.literal(true).optional(),
        /** Codes issued and not revoked; null for public instruments. */
        codesIssued: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'Turnout' });
export type TurnoutBody = z.infer<typeof turnoutBody>;

export const tallyCount = z.object({
  question: key,
  option: z.string(),
  raterCategory,
  count: z.number().int(),
});
export type TallyCount = z.infer<typeof tallyCount>;

/** The practice's figures of a subject, each a share (0-1) of its known answers on the indicator's question. */
export const subjectIndicators = z.object({
  /** 好评率 / 满意率. */
  good: z.number().nullable(),
  /** 优秀率, 称职率, 不称职 share (ballots about officials). */
  excellent: z.number().nullable().optional(),
  competent: z.number().nullable().optional(),
  incompetent: z.number().nullable().optional(),
  /** 不称职 above the instrument's alert share (e.g. one third): flagged for follow-up. */
  alert: z.boolean(),
});
export type SubjectIndicators = z.infer<typeof subjectIndicators>;

export const subjectScore = z.object({
  subject: subjectRef,
  /** `scored`, or `insufficient` (样本不足): fewer known answers than the instrument's minimum. */
  status: z.enum(['scored', 'insufficient']),
  /** Responses that graded the subject, and those that answered 不了解 (left out of the score). */
  known: z.number().int(),
  unknown: z.number().int(),
  /** Weighted score out of 100; null without enough known answers. */
  score: z.number().nullable(),
  /** The part of the subject's total this instrument contributes (score x share / 100). */
  contribution: z.number().nullable(),
  byCategory: z.array(z.object({ raterCategory, score: z.number(), answers: z.number().int() })),
  indicators: subjectIndicators.optional(),
  /** Live codes that may rate this subject (targeted codes count for their subjects only); null for public instruments. */
  codesIssued: z.number().int().nullable().optional(),
});
export type SubjectScore = z.infer<typeof subjectScore>;

/**
 * A published count: `count` is the number, or null with `suppressed: true`
 * where it lies between 1 and k-1 (k = `minCell`, the appraisal's
 * `disclosure.minCell`, default 5) or would let such a count be recomputed
 * from the published totals (secondary suppression; docs/privacy.md). Shown as "<k".
 */
const suppressed = z.literal(true).optional().describe('Present (true) exactly when count is null: withheld');
const publicCell = { count: z.number().int().nullable(), suppressed };
export const publicCount = z
  .object({ question: key, option: z.string(), raterCategory, ...publicCell })
  .meta({ id: 'PublicCount' });

export const publicSubjectScore = subjectScore
  .extend({
    /** Null where suppressed (fewer than k, or recomputable). */
    known: z.number().int().nullable(),
    unknown: z.number().int().nullable(),
    /** Per category: score and answers; null (suppressed) below k answers or where recomputable. */
    byCategory: z.array(
      z.object({ raterCategory, score: z.number().nullable(), answers: z.number().int().nullable(), suppressed }),
    ),
  })
  .meta({ id: 'PublicSubjectScore' });

const publicSourcePart = z.object({
  responses: z.object(publicCell),
  turnout: z.array(z.object({ raterCategory, responses: z.number().int().nullable(), suppressed })),
  counts: z.array(publicCount),
});
const publicSourceScore = z.object({
  /** Ballots of the source that graded the subject; null where suppressed. */
  known: z.number().int().nullable(),
  /** The rule on this source's counts alone; null below k (or the instrument's minimum) known answers. */
  score: z.number().nullable(),
});
/** Online and paper side by side (issue 19), suppressed like every other table of the same answers. */
export const publicSources = z
  .object({
    online: publicSourcePart,
    paper: publicSourcePart,
    subjects: z.array(
      z.object({
        subject: subjectRef,
        online: publicSourceScore,
        paper: publicSourceScore,
        combined: publicSourceScore,
      }),
    ),
  })
  .meta({ id: 'PublicSources' });

export const tallyBody = z
  .object({
    instrument: id,
    asOf: z.string(),
    share: z.number(),
    /** The disclosure threshold k: no published count lies in 1..k-1. */
    minCell: z.number().int(),
    turnout: z.array(z.object({ raterCategory, responses: z.number().int().nullable(), suppressed })),
    /** All responses (the sum of turnout); null where suppressed. */
    responses: z.object(publicCell),
    counts: z.array(publicCount),
    /** Per question and option over all categories. */
    totals: z.array(z.object({ question: key, option: z.string(), ...publicCell })),
    /** Per question over all options and categories. */
    rows: z.array(z.object({ question: key, ...publicCell })),
    subjects: z.array(publicSubjectScore),
    /** How the counts become the scores (weights, grade points, minimum known answers). */
    rule: scoreRule,
    /** Whether the round counts, when the instrument sets a minimum turnout; null otherwise. */
    validity: validityResult.nullable(),
    /** The figures above are online + paper; here each source on its own and each one's score. */
    sources: publicSources,
  })
  .meta({ id: 'Tally' });
export type TallyBody = z.infer<typeof tallyBody>;

export const receiptList = z.object({ instrument: id, receipts: z.array(receipt) }).meta({ id: 'ReceiptList' });
