import { z } from 'zod';
import { cleanLine, cleanText, hasVisibleText, posesAsOfficial } from '../text';
import { id } from './common';
import { codeInput, turnstileToken } from './credential';
import { trackingInput } from './tracking';

/**
 * Text typed by a person: cleaned (see text.ts) before its length is checked,
 * so "  a  " and "a" are the same post. The raw length is capped too, so a
 * megabyte of spaces is refused before it is cleaned.
 */
export const typedText = (clean: (s: string) => string, min: number, max: number, tooShort: string, tooLong: string) =>
  z
    .string()
    .max(max * 2, tooLong)
    .transform(clean)
    .pipe(z.string().min(min, tooShort).max(max, tooLong).refine(hasVisibleText, tooShort));

export const POST_MAX = 2000;
export const TITLE_MAX = 60;
export const DISPLAY_NAME_MAX = 20;

export const displayName = typedText(
  cleanLine,
  1,
  DISPLAY_NAME_MAX,
  '请填写显示名称',
  `显示名称最多 ${DISPLAY_NAME_MAX} 字`,
).refine((name) => !posesAsOfficial(name), '显示名称不能使用机关、考核组、观察员或平台工作人员的名义');
export const threadTitle = typedText(cleanLine, 4, TITLE_MAX, '标题至少 4 个字', `标题最多 ${TITLE_MAX} 字`);
export const postBody = typedText(cleanText, 5, POST_MAX, '内容至少 5 个字', `内容最多 ${POST_MAX} 字`);

/** pending: waits for an observer (pre-moderation, or hidden by reports); visible; hidden by an observer. */
export const postStatuses = ['pending', 'visible', 'hidden'] as const;
export const postStatus = z.enum(postStatuses);
export type PostStatus = z.infer<typeof postStatus>;

/** A post id or thread id: a random UUID. */
export const forumId = z.uuid();

const author = {
  displayName,
  turnstileToken,
  /** Only where the appraisal requires it: checked, never consumed, never stored. */
  code: codeInput.optional(),
};

export const newThreadRequest = z
  .object({ appraisal: id, unit: id.optional(), title: threadTitle, body: postBody, ...author })
  .meta({ id: 'NewThreadRequest' });
export type NewThreadRequest = z.input<typeof newThreadRequest>;

export const replyRequest = z.object({ body: postBody, ...author }).meta({ id: 'ReplyRequest' });
export type ReplyRequest = z.input<typeof replyRequest>;

export const reportRequest = z.object({ turnstileToken }).meta({ id: 'ReportRequest' });

export const forumPost = z
  .object({
    id: forumId,
    thread: forumId,
    displayName: z.string(),
    body: z.string(),
    createdAt: z.string(),
    opening: z.boolean(),
  })
  .meta({ id: 'Post' });
export type ForumPost = z.infer<typeof forumPost>;

export const threadSummary = z
  .object({
    id: forumId,
    appraisal: id,
    unit: id.nullable(),
    title: z.string(),
    displayName: z.string(),
    createdAt: z.string(),
    lastPostAt: z.string(),
    replies: z.number().int(),
  })
  .meta({ id: 'ThreadSummary' });
export type ThreadSummary = z.infer<typeof threadSummary>;

export const pageInfo = z.object({
  page: z.number().int().min(1),
  pages: z.number().int().min(0),
  total: z.number().int(),
});
export type PageInfo = z.infer<typeof pageInfo>;

/** `?page=2` as typed into a URL. */
export const pageQuery = z.coerce.number().int().min(1).max(10_000).default(1);

/** The site search's forum part: a phrase as typed (substring match), one page of threads. */
export const forumSearchQuery = z.object({ q: z.string().trim().min(1).max(50), page: pageQuery });

export const threadList = z.object({ threads: z.array(threadSummary), ...pageInfo.shape }).meta({ id: 'ThreadList' });
export type ThreadList = z.infer<typeof threadList>;

export const threadPage = z
  .object({ thread: threadSummary, posts: z.array(forumPost), ...pageInfo.shape })
  .meta({ id: 'ThreadPage' });
export type ThreadPage = z.infer<typeof threadPage>;

/**
 * What the author is told: visible now, or waiting for an observer, and a
 * tracking number (shown this once) to follow the post by.
 */
export const postCreated = z
  .object({ thread: forumId, post: forumId, status: postStatus.exclude(['hidden']), tracking: z.string() })
  .meta({ id: 'PostCreated' });
export type PostCreated = z.infer<typeof postCreated>;

export const postTrackRequest = z.object({ tracking: trackingInput }).meta({ id: 'PostTrackRequest' });

/**
 * What the author of a post sees by its tracking number: where it stands
 * (waiting, public, or hidden with the observer's reason) and the text sent.
 */
export const trackedPost = z
  .object({
    thread: forumId,
    threadTitle: z.string(),
    opening: z.boolean(),
    body: z.string(),
    status: postStatus,
    hiddenReason: z.string().nullable(),
    /** Dates in China's calendar. */
    postedOn: z.string(),
    moderatedOn: z.string().nullable(),
  })
  .meta({ id: 'TrackedPost' });
export type TrackedPost = z.infer<typeof trackedPost>;

export const forumSettingsBody = z
  .object({
    appraisal: id,
    moderation: z.enum(['pre', 'post']),
    requireCode: z.boolean(),
    reportThreshold: z.number().int(),
    /** Whether posting is open now (the appraisal's opinion phase). */
    open: z.boolean(),
    opinion: z.object({ start: z.string(), end: z.string() }),
  })
  .meta({ id: 'ForumSettings' });
export type ForumSettingsBody = z.infer<typeof forumSettingsBody>;
