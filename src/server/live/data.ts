// What the public sees of D1 (objection decisions, the ledger, published
// answers, the units' message figures), read once a minute at most: each set
// is kept in the Cache API for 60 s, and a change made in the console or by a
// writer drops the sets of its appraisal at once (in this data centre; other
// ones catch up within the minute). Derived values that depend on the day
// (a ledger item's 逾期) are computed on every read, never cached.
import type { Context } from 'hono';
import { localDate } from '../../domain/phase';
import { dayInChina } from '../../domain/schemas/common';
import { type MessageStats, type PublicMessage, statsOf } from '../../domain/schemas/message';
import type { PublicDecision } from '../../domain/schemas/objection';
import { type RectificationItem, rectificationStatus } from '../../domain/schemas/rectification';
import { publishedMessages, unitMessageFigures } from '../db/message-follow-up';
import { publicDecisions } from '../db/objections';
import { type LedgerRow, ledgerItems } from '../db/rectification';
import type { AppEnv } from '../env';
import { subjectName } from '../routes/observe/live';

/** Any context with the app's variables (the console's has them too). */
type Ctx = Pick<Context<AppEnv>, 'get'>;

export const LIVE_TTL_SECONDS = 60;
const SETS = ['decisions', 'ledger', 'answered', 'stats'] as const;
type SetName = (typeof SETS)[number];

const keyOf = (set: SetName, appraisal: string | undefined) =>
  `https://live.kaoping.invalid/v1/${set}/${appraisal ?? '_all'}`;

const cache = () => (typeof caches === 'undefined' ? undefined : (caches as unknown as { default: Cache }).default);

async function cached<T>(set: SetName, appraisal: string | undefined, load: () => Promise<T>): Promise<T> {
  const store = cache();
  const key = keyOf(set, appraisal);
  const hit = await store?.match(key);
  if (hit) return (await hit.json()) as T;
  const value = await load();
  await store?.put(
    key,
    new Response(JSON.stringify(value), {
      headers: { 'content-type': 'application/json', 'cache-control': `max-age=${LIVE_TTL_SECONDS}` },
    }),
  );
  return value;
}

/** Drop an appraisal's sets (and the all-appraisals ones) after a change. */
export async function purgeLive(appraisal: string) {
  const store = cache();
  if (!store) return;
  await Promise.all(SETS.flatMap((s) => [store.delete(keyOf(s, appraisal)), store.delete(keyOf(s, undefined))]));
}

export async function liveDecisions(c: Ctx, appraisal?: string): Promise<PublicDecision[]> {
  const catalog = c.get('catalog');
  return cached('decisions', appraisal, async () =>
    (await publicDecisions(c.get('db'), appraisal)).flatMap((r) =>
      r.decision && r.reasons && r.answeredAt
        ? [
            {
              id: r.id,
              appraisal: r.appraisal,
              subject: { kind: r.subjectKind, id: r.subjectId },
              subjectName: subjectName(catalog, { kind: r.subjectKind, id: r.subjectId }),
              kind: r.kind,
              matter: r.matter,
              decision: r.decision,
              reasons: r.reasons,
              filedOn: dayInChina(new Date(r.filedAt)),
              answeredOn: dayInChina(new Date(r.answeredAt)),
            },
          ]
        : [],
    ),
  );
}

const toItem = (r: LedgerRow, today: string): RectificationItem => ({
  id: r.id,
  appraisal: r.appraisal,
  unit: r.unit,
  source: r.source,
  sourceNote: r.sourceNote,
  objection: r.objection,
  problem: r.problem,
  measure: r.measure,
  responsible: r.responsible,
  deadline: r.deadline,
  completedOn: r.completedOn,
  evidence: r.evidence,
  status: rectificationStatus(r, today),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  version: r.version,
});

export const ledgerToItems = toItem;

export async function liveLedger(c: Ctx, appraisal?: string): Promise<RectificationItem[]> {
  const rows = await cached('ledger', appraisal, () => ledgerItems(c.get('db'), { appraisal }));
  const today = localDate(c.get('now')());
  return rows.map((r) => toItem(r, today));
}

export async function liveAnswered(c: Ctx, appraisal?: string): Promise<PublicMessage[]> {
  return cached('answered', appraisal, async () =>
    (await publishedMessages(c.get('db'), { appraisal })).flatMap((m) =>
      m.reply && m.repliedAt
        ? [
            {
              id: m.id,
              appraisal: m.appraisal,
              unit: m.unit,
              subject: m.subjectKind && m.subjectId ? { kind: m.subjectKind, id: m.subjectId } : null,
              topic: m.topic,
              body: m.body,
              reply: m.reply,
              receivedOn: dayInChina(new Date(m.receivedAt)),
              repliedOn: dayInChina(new Date(m.repliedAt)),
            },
          ]
        : [],
    ),
  );
}

export async function liveStats(c: Ctx, appraisal?: string): Promise<MessageStats[]> {
  return cached('stats', appraisal, async () =>
    (await unitMessageFigures(c.get('db'), appraisal)).map((r) => statsOf(r)),
  );
}
