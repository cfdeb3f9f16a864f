import { z } from 'zod';
import { cleanLine, cleanText } from '../text';
import { email, id, phone } from './common';
import { turnstileToken } from './credential';
import { typedText } from './forum';
import { trackingInput } from './tracking';

export const MESSAGE_MAX = 3000;
export const REPLY_MAX = 3000;
export const NOTE_MAX = 2000;

/** received → under verification (核实中) → verified → answered → closed. */
export const messageStatuses = ['received', 'verifying', 'verified', 'answered', 'closed'] as const;
export const messageStatus = z.enum(messageStatuses);
export type MessageStatus = z.infer<typeof messageStatus>;

/** What a message is about: a unit, an official, or (when absent) the appraisal as a whole. */
export const messageSubjectKinds = ['unit', 'official'] as const;
export const messageSubject = z.object({ kind: z.enum(messageSubjectKinds), id });
export type MessageSubject = z.infer<typeof messageSubject>;

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
    body: messageBody,
    contact: contactDetails.optional(),
    turnstileToken,
  })
  .meta({ id: 'NewMessageRequest' });
export type NewMessageRequest = z.input<typeof newMessageRequest>;

// Tracking numbers (schemas/tracking.ts) are shared with the forum's pre-moderated posts.
export { formatTracking, newTrackingNumber, TRACKING_RANDOM, trackingInput } from './tracking';

export const messageCreated = z.object({ tracking: z.string(), receivedOn: z.string() }).meta({ id: 'MessageCreated' });
export type MessageCreated = z.infer<typeof messageCreated>;

export const trackRequest = z.object({ tracking: trackingInput }).meta({ id: 'TrackRequest' });

/** What the sender sees: their text, where it stands, and the public reply. Never the internal notes. */
export const trackedMessage = z
  .object({
    appraisal: id,
    subject: messageSubject.nullable(),
    body: z.string(),
    status: messageStatus,
    receivedOn: z.string(),
    updatedOn: z.string(),
    reply: z.object({ text: z.string(), on: z.string() }).nullable(),
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

const observerRef = z.object({ id: z.uuid(), displayName: z.string() });

export const observerMessage = z
  .object({
    id: z.uuid(),
    appraisal: id,
    subject: messageSubject.nullable(),
    /** The unit the message concerns (an official's unit), for scopes and filters. */
    unit: id.nullable(),
    body: z.string(),
    status: messageStatus,
    receivedAt: z.string(),
    updatedAt: z.string(),
    assignee: observerRef.nullable(),
    reply: z.string().nullable(),
    repliedAt: z.string().nullable(),
    hasContact: z.boolean(),
    /** Whether this observer may act on it (its units, assigned to it, or a lead). */
    inScope: z.boolean(),
  })
  .meta({ id: 'ObserverMessage' });
export type ObserverMessage = z.infer<typeof observerMessage>;

export const messageDetail = observerMessage
  .extend({
    contact: z
      .object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() })
      .nullable(),
    notes: z.array(z.object({ at: z.string(), observer: observerRef.nullable(), text: z.string() })),
  })
  .meta({ id: 'MessageDetail' });
export type MessageDetail = z.infer<typeof messageDetail>;
