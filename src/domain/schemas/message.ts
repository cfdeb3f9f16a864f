import { z } from 'zod';
import { cleanLine, cleanText } from '../text';
import { email, id, isoDate, phone } from './common';
import { turnstileToken } from './credential';
import { typedText } from './forum';
import { trackingInput } from './tracking';

export const MESSAGE_MAX = 3000;
export const REPLY_MAX = 3000;
export const NOTE_MAX = 2000;

/** received → under verification (核实中) → verified → answered → closed; reopened once by the writer after an answer. */
export const messageStatuses = ['received', 'verifying', 'verified', 'answered', 'closed', 'reopened'] as const;
export const messageStatus = z.enum(messageStatuses);
export type MessageStatus = z.infer<typeof messageStatus>;

/** What a message is about: a unit, an official, or (when absent) the appraisal as a whole. */
export const messageSubjectKinds = ['unit', 'official'] as const;
export const messageSubject = z.object({ kind: z.enum(messageSubjectKinds), id });
export type MessageSubject = z.infer<typeof messageSubject>;

/** Topics, for the public list of answered messages and the themes a ledger item can come from. */
export const messageTopics = ['service', 'efficiency', 'policy', 'conduct', 'livelihood', 'business', 'other'] as const;
export const messageTopic = z.enum(messageTopics);
export type MessageTopic = z.infer<typeof messageTopic>;

/** The writer's verdict on a reply (满意 / 不满意). */
export const replyRatings = ['satisfied', 'unsatisfied'] as const;
export const replyRating = z.enum(replyRatings);
export type ReplyRating = z.infer<typeof replyRating>;

/** What the writer's history lists: each step with its day. */
export const messageEventKinds = ['received', 'status', 'replied', 'rated', 'reopened'] as const;
export type MessageEventKind = (typeof messageEventKinds)[number];

/** Optional, for follow-up only: encrypted at rest, shown to observers only. */
export const contactDetails = z
  .object({
    name: typedText(cleanLine, 1, 20, '请填写称呼', '称呼最多 20 字').optional(),
    phone: phone.optional(),
    email: email.max(120).optional(),
  })
  .refine((c) => c.name !== undefined || c.phone !== undefined || c.email !== undefined, {
    message: '请至少填写一项联系方式, 或不填联系方式匿名反映',
  });
export type ContactDetails = z.infer<typeof contactDetails>;

export const messageBody = typedText(cleanText, 5, MESSAGE_MAX, '内容至少 5 个字', `内容最多 ${MESSAGE_MAX} 字`);

export const newMessageRequest = z
  .object({
    appraisal: id,
    subject: messageSubject.optional(),
    topic: messageTopic.default('other'),
    body: messageBody,
    contact: contactDetails.optional(),
    /** May the message and its reply be published (without any contact data)? Default: no. */
    publishConsent: z.boolean().default(false),
    turnstileToken,
  })
  .meta({ id: 'NewMessageRequest' });
export type NewMessageRequest = z.input<typeof newMessageRequest>;

// Tracking numbers (schemas/tracking.ts) are shared with the forum's pre-moderated posts.
export { formatTracking, newTrackingNumber, TRACKING_RANDOM, trackingInput } from './tracking';

export const messageCreated = z
  .object({ tracking: z.string(), receivedOn: z.string(), replyDue: isoDate })
  .meta({ id: 'MessageCreated' });
export type MessageCreated = z.infer<typeof messageCreated>;

export const trackRequest = z.object({ tracking: trackingInput }).meta({ id: 'TrackRequest' });

export const rateRequest = z
  .object({ tracking: trackingInput, rating: replyRating, turnstileToken })
  .meta({ id: 'RateReplyRequest' });
export const REOPEN_MAX = 1000;
export const reopenRequest = z
  .object({
    tracking: trackingInput,
    reason: typedText(cleanText, 5, REOPEN_MAX, '请说明仍未解决的问题 (至少 5 个字)', `说明最多 ${REOPEN_MAX} 字`),
    turnstileToken,
  })
  .meta({ id: 'ReopenRequest' });

export const messageStep = z.object({
  on: isoDate,
  kind: z.enum(messageEventKinds),
  status: messageStatus,
  /** The writer's own words when reopening; never an observer's note. */
  text: z.string().nullable(),
});
export type MessageStep = z.infer<typeof messageStep>;

/** What the sender sees: their text, where it stands, and the public reply. Never the internal notes. */
export const trackedMessage = z
  .object({
    appraisal: id,
    subject: messageSubject.nullable(),
    body: z.string(),
    topic: messageTopic,
    status: messageStatus,
    receivedOn: z.string(),
    updatedOn: z.string(),
    replyDue: isoDate,
    overdue: z.boolean(),
    reply: z.object({ text: z.string(), on: z.string() }).nullable(),
    history: z.array(messageStep),
    rating: replyRating.nullable(),
    /** A reply is there and not rated yet. */
    mayRate: z.boolean(),
    /** Answered, and not reopened before: a message may be reopened once. */
    mayReopen: z.boolean(),
    publishConsent: z.boolean(),
    published: z.boolean(),
  })
  .meta({ id: 'TrackedMessage' });
export type TrackedMessage = z.infer<typeof trackedMessage>;

// The observers' side.

export const messageStatusChange = z.object({ status: messageStatus }).meta({ id: 'MessageStatusChange' });
export const messageNoteRequest = z
  .object({ text: typedText(cleanText, 1, NOTE_MAX, '请填写备注', `备注最多 ${NOTE_MAX} 字`) })
  .meta({ id: 'MessageNoteRequest' });
export const messageReplyRequest = z
  .object({ text: typedText(cleanText, 5, REPLY_MAX, '答复至少 5 个字', `答复最多 ${REPLY_MAX} 字`) })
  .meta({ id: 'MessageReplyRequest' });
export const messageAssignRequest = z.object({ observer: z.uuid() }).meta({ id: 'MessageAssignRequest' });
export const messagePublishRequest = z.object({ published: z.boolean() }).meta({ id: 'MessagePublishRequest' });

const observerRef = z.object({ id: z.uuid(), displayName: z.string() });

export const observerMessage = z
  .object({
    id: z.uuid(),
    appraisal: id,
    subject: messageSubject.nullable(),
    /** The unit the message concerns (an official's unit), for scopes and filters. */
    unit: id.nullable(),
    topic: messageTopic,
    body: z.string(),
    status: messageStatus,
    receivedAt: z.string(),
    updatedAt: z.string(),
    replyDue: isoDate,
    overdue: z.boolean(),
    assignee: observerRef.nullable(),
    reply: z.string().nullable(),
    repliedAt: z.string().nullable(),
    rating: replyRating.nullable(),
    publishConsent: z.boolean(),
    published: z.boolean(),
    hasContact: z.boolean(),
    /** Whether this observer may act on it (its units, assigned to it, or a lead). */
    inScope: z.boolean(),
  })
  .meta({ id: 'ObserverMessage' });
export type ObserverMessage = z.infer<typeof observerMessage>;

export const messageDetail = observerMessage
  .extend({
    /** Only the assigned observer may reveal the contact, with a click that is logged once. */
    mayRevealContact: z.boolean(),
    notes: z.array(z.object({ at: z.string(), observer: observerRef.nullable(), text: z.string() })),
    history: z.array(messageStep),
  })
  .meta({ id: 'MessageDetail' });
export type MessageDetail = z.infer<typeof messageDetail>;

export const revealedContact = z
  .object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() })
  .meta({ id: 'RevealedContact' });
export type RevealedContact = z.infer<typeof revealedContact>;

// Published answers and the units' figures (public, live).

/** An answered message its writer allowed to publish: never contact data, never the tracking number. */
export const publicMessage = z
  .object({
    id: z.uuid(),
    appraisal: id,
    unit: id.nullable(),
    subject: messageSubject.nullable(),
    topic: messageTopic,
    body: z.string(),
    reply: z.string(),
    receivedOn: isoDate,
    repliedOn: isoDate,
  })
  .meta({ id: 'PublicMessage' });
export type PublicMessage = z.infer<typeof publicMessage>;

/** Satisfaction is published only from this many ratings on: fewer would all but name the writers. */
export const MIN_RATINGS = 5;

/** A unit's handling of messages in one appraisal: 办理率, on-time share, satisfaction with replies. */
export const messageStats = z
  .object({
    appraisal: id,
    unit: id,
    received: z.number().int(),
    /** Answered or closed. */
    handled: z.number().int(),
    /** Of those answered, replied on or before the deadline. */
    onTime: z.number().int(),
    rated: z.number().int(),
    satisfied: z.number().int(),
    /** Percentages, one decimal; satisfaction null below MIN_RATINGS ratings. */
    handledRate: z.number().nullable(),
    onTimeRate: z.number().nullable(),
    satisfaction: z.number().nullable(),
  })
  .meta({ id: 'MessageStats' });
export type MessageStats = z.infer<typeof messageStats>;

const percent = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 1000) / 10 : null);

export function statsOf(r: Omit<MessageStats, 'handledRate' | 'onTimeRate' | 'satisfaction'>): MessageStats {
  return {
    ...r,
    handledRate: percent(r.handled, r.received),
    onTimeRate: percent(r.onTime, r.handled),
    satisfaction: r.rated >= MIN_RATINGS ? percent(r.satisfied, r.rated) : null,
  };
}
