import { z } from 'zod';

/**
 * Every observer action, named `<target>.<verb>`. The log is append-only: the
 * database refuses UPDATE and DELETE on it (a trigger), and no route changes it.
 */
export const auditActions = [
  'session.login',
  'session.logout',
  'post.approve',
  'post.hide',
  'message.view_contact',
  'message.status',
  'message.note',
  'message.reply',
  'message.assign',
  'message.publish',
  'objection.accept',
  'objection.refuse',
  'objection.assign',
  'objection.note',
  'objection.decide',
  'objection.answer',
  'objection.publish',
  'objection.view_contact',
  'rectification.create',
  'rectification.update',
  'meeting.create',
  'meeting.update',
  'paper.key',
  'paper.count',
  'paper.mismatch',
  'paper.resolve',
  'instrument.state',
  'export.messages',
  'export.tallies',
  'export.audit',
  'account.create',
  'account.password',
  'account.disable',
  'account.enable',
  'account.units',
] as const;
export const auditAction = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditAction>;

/** One changed field in words: its name, and its value before and after (null: none). */
export const auditChange = z
  .object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() })
  .meta({ id: 'AuditChange' });
export type AuditChange = z.infer<typeof auditChange>;

export const auditEntry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    /** null for actions taken with the CLI (`npm run observers`). */
    observer: z.object({ id: z.string(), displayName: z.string() }).nullable(),
    action: auditAction,
    targetKind: z.string(),
    targetId: z.string(),
    /** The target in words: "帖子《…》", "观察员 张三", "测评《…》". */
    targetName: z.string(),
    /** JSON of the changed fields before and after; never contact details or passwords. */
    before: z.string().nullable(),
    after: z.string().nullable(),
    /** The same change in words, field by field (unchanged fields left out). */
    changes: z.array(auditChange),
    /** The entry's link in the hash chain (null on entries older than the chain). */
    hash: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntry>;

/** The chain's last entry: its hash, written down now and then, pins every entry up to it. */
export const auditHead = z.object({ id: z.number().int(), at: z.string(), hash: z.string() }).meta({ id: 'AuditHead' });

export const auditPage = z
  .object({
    entries: z.array(auditEntry),
    page: z.number().int(),
    pages: z.number().int(),
    total: z.number().int(),
    chain: z.object({ head: auditHead.nullable() }),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof auditPage>;
