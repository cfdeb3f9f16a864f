import { z } from 'zod';
import { credentialWellFormed } from '../objection';
import { cleanLine, cleanText } from '../text';
import { email, id, isoDate, phone } from './common';
import { turnstileToken } from './credential';
import { typedText } from './forum';
import { subjectRef } from './question';

/** 申诉 (appeal against the result) or 质询 (a query the lead department must answer, seed 004). */
export const objectionKinds = ['appeal', 'query'] as const;
export const objectionKind = z.enum(objectionKinds);
export type ObjectionKind = z.infer<typeof objectionKind>;

/**
 * filed → accepted (受理) or refused with reasons (不予受理) → reviewing (复核:
 * a reviewer assigned) → decided (结论) → answered (书面答复).
 */
export const objectionStatuses = ['filed', 'accepted', 'refused', 'reviewing', 'decided', 'answered'] as const;
export const objectionStatus = z.enum(objectionStatuses);
export type ObjectionStatus = z.infer<typeof objectionStatus>;

/** The review's conclusion: the objection holds, holds in part, or does not (the result stands). */
export const objectionDecisions = ['upheld', 'partly', 'rejected'] as const;
export const objectionDecision = z.enum(objectionDecisions);
export type ObjectionDecision = z.infer<typeof objectionDecision>;

export const MATTER_MAX = 60;
export const GROUNDS_MAX = 5000;
export const ATTACHMENTS_MAX = 2000;
export const DECISION_MAX = 3000;

export const credentialInput = z
  .string()
  .max(40)
  .refine(credentialWellFormed, '申诉凭证共 17 位 (如 ABCD-EFGH-JKMN-PQRS-T), 请核对');

/** Not anonymous: the appraised unit or official files, and is answered in writing. Encrypted at rest. */
export const objectionContact = z.object({
  name: typedText(cleanLine, 1, 30, '请填写联系人', '联系人最多 30 字'),
  phone,
  email: email.max(120).optional(),
});
export type ObjectionContact = z.infer<typeof objectionContact>;

export const newObjectionRequest = z
  .object({
    appraisal: id,
    credential: credentialInput,
    kind: objectionKind,
    matter: typedText(cleanLine, 4, MATTER_MAX, '异议事项至少 4 个字', `异议事项最多 ${MATTER_MAX} 字`),
    grounds: typedText(cleanText, 20, GROUNDS_MAX, '理由至少 20 个字', `理由最多 ${GROUNDS_MAX} 字`),
    attachments: typedText(cleanText, 0, ATTACHMENTS_MAX, '', `材料清单最多 ${ATTACHMENTS_MAX} 字`).optional(),
    contact: objectionContact,
    turnstileToken,
  })
  .meta({ id: 'NewObjectionRequest' });
export type NewObjectionRequest = z.input<typeof newObjectionRequest>;

export const objectionCreated = z
  .object({
    tracking: z.string(),
    subject: subjectRef,
    filedOn: isoDate,
    acceptDue: isoDate,
    answerDue: isoDate,
  })
  .meta({ id: 'ObjectionCreated' });
export type ObjectionCreated = z.infer<typeof objectionCreated>;

/** One step of the history the objector sees (internal notes are never in it). */
export const objectionStep = z.object({ on: isoDate, status: objectionStatus });

/** What the objector sees with the tracking number. The decision shows once it is answered. */
export const trackedObjection = z
  .object({
    appraisal: id,
    subject: subjectRef,
    kind: objectionKind,
    matter: z.string(),
    grounds: z.string(),
    attachments: z.string().nullable(),
    status: objectionStatus,
    filedOn: isoDate,
    acceptDue: isoDate,
    answerDue: isoDate,
    overdue: z.boolean(),
    history: z.array(objectionStep),
    refusal: z.string().nullable(),
    answer: z.object({ decision: objectionDecision, reasons: z.string(), text: z.string(), on: isoDate }).nullable(),
    public: z.boolean(),
  })
  .meta({ id: 'TrackedObjection' });
export type TrackedObjection = z.infer<typeof trackedObjection>;

// The observers' side.

const observerRef = z.object({ id: z.uuid(), displayName: z.string() });

export const observerObjection = z
  .object({
    id: z.uuid(),
    appraisal: id,
    subject: subjectRef,
    unit: id,
    kind: objectionKind,
    matter: z.string(),
    status: objectionStatus,
    filedAt: z.string(),
    acceptDue: isoDate,
    answerDue: isoDate,
    overdue: z.boolean(),
    assignee: observerRef.nullable(),
    decision: objectionDecision.nullable(),
    public: z.boolean(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ObserverObjection' });
export type ObserverObjection = z.infer<typeof observerObjection>;

export const objectionEvent = z.object({
  at: z.string(),
  status: objectionStatus,
  observer: observerRef.nullable(),
  /** A note or a reason; internal notes are never shown to the objector. */
  text: z.string().nullable(),
  internal: z.boolean(),
});

export const objectionDetail = observerObjection
  .extend({
    grounds: z.string(),
    attachments: z.string().nullable(),
    refusal: z.string().nullable(),
    reasons: z.string().nullable(),
    reply: z.string().nullable(),
    hasContact: z.boolean(),
    /** Only the assigned reviewer may reveal the contact (each reveal is logged). */
    mayRevealContact: z.boolean(),
    events: z.array(objectionEvent),
  })
  .meta({ id: 'ObjectionDetail' });
export type ObjectionDetail = z.infer<typeof objectionDetail>;

export const objectionQueue = z
  .object({
    items: z.array(observerObjection),
    counts: z.record(objectionStatus, z.number().int()),
    overdue: z.number().int(),
    page: z.number().int(),
    pages: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: 'ObjectionQueue' });
export type ObjectionQueue = z.infer<typeof objectionQueue>;

const reasonText = (what: string, min: number, max: number) =>
  typedText(cleanText, min, max, `${what}至少 ${min} 个字`, `${what}最多 ${max} 字`);

export const objectionRefuseRequest = z
  .object({ reason: reasonText('不予受理的理由', 10, DECISION_MAX) })
  .meta({ id: 'ObjectionRefuseRequest' });
export const objectionNoteRequest = z
  .object({ text: reasonText('备注', 1, 2000) })
  .meta({ id: 'ObjectionNoteRequest' });
export const objectionDecideRequest = z
  .object({ decision: objectionDecision, reasons: reasonText('复核理由', 10, DECISION_MAX) })
  .meta({ id: 'ObjectionDecideRequest' });
export const objectionAnswerRequest = z
  .object({ text: reasonText('书面答复', 10, DECISION_MAX) })
  .meta({ id: 'ObjectionAnswerRequest' });
export const objectionPublishRequest = z.object({ public: z.boolean() }).meta({ id: 'ObjectionPublishRequest' });

/** A decision made public: on the result's page, in open data and in the feed. Never the grounds or the contact. */
export const publicDecision = z
  .object({
    id: z.uuid(),
    appraisal: id,
    subject: subjectRef,
    subjectName: z.string(),
    kind: objectionKind,
    matter: z.string(),
    decision: objectionDecision,
    reasons: z.string(),
    filedOn: isoDate,
    answeredOn: isoDate,
  })
  .meta({ id: 'PublicDecision' });
export type PublicDecision = z.infer<typeof publicDecision>;
