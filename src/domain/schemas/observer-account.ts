import { z } from 'zod';
import { id } from './common';
import { forumId, postStatus } from './forum';
import { instrumentStatus, overrideState, overrideStates } from './instrument';
import { messageStatus, observerMessage } from './message';
import { subjectScore } from './participation';
import { subjectRef } from './question';
import { raterCategory } from './rater-category';
import { validityResult } from './score-rule';

/**
 * observer: moderates the forum, handles the messages in its scope, reads tallies.
 * lead: also acts across every scope (assigns to anyone) and pauses, closes or reopens instruments.
 */
export const observerRoles = ['observer', 'lead'] as const;
export const observerRole = z.enum(observerRoles);
export type ObserverRole = z.infer<typeof observerRole>;

export const username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '用户名为 3–32 位小写字母、数字、点、连字符或下划线');

/** NIST SP 800-63B: length over composition rules; 12 at least, a long cap so passphrases fit. */
export const PASSWORD_MIN = 12;
export const password = z.string().min(PASSWORD_MIN, `密码至少 ${PASSWORD_MIN} 位`).max(200);

export const loginRequest = z
  .object({ username: z.string().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(200) })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof loginRequest>;

export const observerAccount = z
  .object({
    id: z.uuid(),
    username,
    displayName: z.string(),
    role: observerRole,
    /** Units this observer is responsible for (分片负责); teams are expanded to their units when assigned. */
    units: z.array(id),
  })
  .meta({ id: 'ObserverAccount' });
export type ObserverAccount = z.infer<typeof observerAccount>;

/** The session as the console sees it: who, the CSRF token to echo in X-CSRF-Token, and when it ends. */
export const sessionBody = z
  .object({ observer: observerAccount, csrfToken: z.string(), idleExpiresAt: z.string(), expiresAt: z.string() })
  .meta({ id: 'ObserverSession' });
export type SessionBody = z.infer<typeof sessionBody>;

export const observerList = z
  .object({ observers: z.array(observerAccount.pick({ id: true, displayName: true, role: true, units: true })) })
  .meta({ id: 'ObserverList' });

/** `mine`: what is in this observer's scope; `all`: everything, this observer's scope first. */
export const scopeFilter = z.enum(['mine', 'all']).default('all');

// Moderation queue.

export const queueKind = z.enum(['pending', 'reported', 'hidden']);
export type QueueKind = z.infer<typeof queueKind>;

export const moderationItem = z
  .object({
    id: forumId,
    thread: forumId,
    threadTitle: z.string(),
    appraisal: id,
    unit: id.nullable(),
    opening: z.boolean(),
    displayName: z.string(),
    body: z.string(),
    status: postStatus,
    hiddenReason: z.string().nullable(),
    /** Reports not yet reviewed by an observer. */
    openReports: z.number().int(),
    createdAt: z.string(),
    inScope: z.boolean(),
  })
  .meta({ id: 'ModerationItem' });
export type ModerationItem = z.infer<typeof moderationItem>;

export const queueCounts = z.object({
  pending: z.number().int(),
  reported: z.number().int(),
  hidden: z.number().int(),
});
export type QueueCounts = z.infer<typeof queueCounts>;

export const moderationQueue = z
  .object({
    items: z.array(moderationItem),
    counts: queueCounts,
    page: z.number().int(),
    pages: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: 'ModerationQueue' });
export type ModerationQueue = z.infer<typeof moderationQueue>;

export const hideRequest = z
  .object({ reason: z.string().trim().min(2, '请填写隐藏理由').max(200, '理由最多 200 字') })
  .meta({ id: 'HideRequest' });

export const messageCounts = z.record(messageStatus, z.number().int());

export const messageQueue = z
  .object({
    items: z.array(observerMessage),
    counts: messageCounts,
    page: z.number().int(),
    pages: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: 'MessageQueue' });
export type MessageQueue = z.infer<typeof messageQueue>;

// Live view.

export const instrumentOverride = z.enum(['open', ...overrideStates]);
export type InstrumentOverride = z.infer<typeof instrumentOverride>;
export const instrumentStateRequest = z.object({ state: instrumentOverride }).meta({ id: 'InstrumentStateRequest' });

export const liveInstrument = z.object({
  id,
  title: z.string(),
  kind: z.string(),
  access: z.enum(['code', 'public']),
  status: instrumentStatus,
  /** The staff override, if any. */
  override: overrideState.nullable(),
  /** False until the instrument closes: subjects and questions are then empty (turnout only). */
  talliesReleased: z.boolean(),
  opensAt: z.string(),
  closesAt: z.string(),
  tallyPolicy: z.string(),
  total: z.number().int(),
  turnout: z.array(
    z.object({
      raterCategory,
      /** The category's label in the appraisal's content. */
      label: z.string(),
      responses: z.number().int(),
      codesIssued: z.number().int().nullable(),
    }),
  ),
  /** Whether the round counts so far (the instrument's minimum turnout per category); null without such a rule. */
  validity: validityResult.nullable(),
  subjects: z.array(subjectScore),
  /** Option counts of questions that are not about a subject (questionnaires, votes), all categories together. */
  questions: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      options: z.array(z.object({ id: z.string(), label: z.string(), count: z.number().int() })),
    }),
  ),
});
export type LiveInstrument = z.infer<typeof liveInstrument>;

export const liveView = z
  .object({
    appraisal: id,
    asOf: z.string(),
    instruments: z.array(liveInstrument),
    subjectNames: z.array(z.object({ subject: subjectRef, name: z.string() })),
  })
  .meta({ id: 'LiveView' });
export type LiveView = z.infer<typeof liveView>;
