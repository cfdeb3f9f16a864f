// The feed to the internal appraisal system: the tally set of an appraisal,
// its digests, the `since` cursor, and the canonical string a feed request
// signs (shared by the server and the signing client).
import { hmacHex } from './code';
import type { FeedBody, FeedInstrument, MeetingFigures } from './schemas/feed';
import type { Instrument, InstrumentStatus } from './schemas/instrument';
import type { TallyCount } from './schemas/participation';
import {
  canonicalCounts,
  combineCounts,
  combineTurnout,
  hasPaper,
  type SourceFigures,
  sourceBreakdown,
} from './sources';
import { scoreRuleOf, subjectScores, talliesReleased, validityOf } from './tally';

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
export const sha256Hex = async (text: string) =>
  hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

export interface InstrumentTallies {
  instrument: Instrument;
  status: InstrumentStatus;
  /** Online counts and turnout (`tallies`, `turnout`). */
  counts: TallyCount[];
  turnout: { raterCategory: string; responses: number }[];
  /** Paper ballots counted at meetings (`paper_tallies`, `paper_ballots` per category, `meetings`). */
  paper?: SourceFigures & { meetings: MeetingFigures[] };
  issued: Map<string, number>;
  /** Live codes per subject of the instrument (targeted codes count for their own subjects). */
  issuedBySubject?: Map<string, number>;
  /** A category's label, for the validity reasons. */
  label?: (category: string) => string;
}

/** Build the feed; `since` (a previous cursor) keeps only the instruments whose digest changed. */
export async function buildFeed(
  appraisal: string,
  asOf: string,
  items: InstrumentTallies[],
  since?: string,
): Promise<FeedBody> {
  const instruments: FeedInstrument[] = [];
  for (const t of items) {
    const inst = t.instrument;
    // Turnout only until the instrument closes (see talliesReleased): the feed is polled, so live counts would leak ballots.
    const released = talliesReleased(t.status);
    const paper = t.paper ?? { counts: [], turnout: [], meetings: [] };
    const onlineCounts = released ? canonicalCounts(t.counts) : [];
    const paperCounts = released ? canonicalCounts(paper.counts) : [];
    // The counts every score is computed on: online + paper.
    const counts = combineCounts(onlineCounts, paperCounts);
    const all = combineTurnout(t.turnout, paper.turnout);
    const categories = inst.access === 'public' ? ['public'] : inst.raterCategories;
    type Category = FeedInstrument['turnout'][number]['raterCategory'];
    const per = (list: { raterCategory: string; responses: number }[]) =>
      categories.map((raterCategory) => ({
        raterCategory: raterCategory as Category,
        responses: list.find((x) => x.raterCategory === raterCategory)?.responses ?? 0,
      }));
    const turnout = per(all).map((x) => ({
      ...x,
      codesIssued: inst.access === 'public' ? null : (t.issued.get(x.raterCategory) ?? 0),
    }));
    const withPaper = hasPaper(paper);
    const pair = (list: TallyCount[]) => list.map((c) => [c.question, c.option, c.raterCategory, c.count]);
    const digest = await sha256Hex(
      JSON.stringify({
        instrument: inst.id,
        counts: pair(counts),
        turnout: turnout.map((x) => [x.raterCategory, x.responses]),
        // Only with paper ballots, so a digest of online figures alone stays what it was before paper existed.
        ...(withPaper
          ? {
              paper: {
                counts: pair(paperCounts),
                turnout: per(paper.turnout).map((x) => [x.raterCategory, x.responses]),
              },
            }
          : {}),
      }),
    );
    instruments.push({
      id: inst.id,
      title: inst.title,
      kind: inst.kind,
      status: t.status,
      share: inst.share,
      categoryWeights: inst.categoryWeights as Record<string, number>,
      gradeScores: inst.gradeScores,
      turnout,
      counts,
      subjects: subjectScores(inst, counts).map((x) => ({
        ...x,
        codesIssued: inst.access === 'public' ? null : (t.issuedBySubject?.get(x.subject.id) ?? null),
      })),
      rule: scoreRuleOf(inst),
      // 参评率 is responses per code issued: online responses only. Paper ballots answer to the meeting's own
      // counts (issued / returned / spoilt), which are not split by category (issue 19; docs/privacy.md).
      validity: validityOf(
        inst,
        per(t.turnout).map((x) => ({
          ...x,
          codesIssued: inst.access === 'public' ? null : (t.issued.get(x.raterCategory) ?? 0),
        })),
        t.label,
      ),
      sources: {
        online: { turnout: per(t.turnout), counts: onlineCounts },
        paper: { turnout: per(paper.turnout), counts: paperCounts, meetings: paper.meetings },
        subjects: sourceBreakdown(inst, onlineCounts, paperCounts),
      },
      digest,
    });
  }
  const digest = await sha256Hex(instruments.map((i) => `${i.id}:${i.digest}`).join('\n'));
  const cursor = encodeCursor(Object.fromEntries(instruments.map((i) => [i.id, i.digest.slice(0, 16)])));
  const previous = since ? decodeCursor(since) : null;
  return {
    appraisal,
    asOf,
    digest,
    cursor,
    instruments: previous ? instruments.filter((i) => previous[i.id] !== i.digest.slice(0, 16)) : instruments,
  };
}

/** The cursor names each instrument's digest prefix: no time, no sequence (nothing that orders responses). */
export function encodeCursor(map: Record<string, string>): string {
  return btoa(JSON.stringify(map)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string): Record<string, string> | null {
  try {
    const json = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    // fall through
  }
  return null;
}

/** Feed requests are signed over method, path, sorted query, timestamp, nonce and the body's hash. */
export async function canonicalRequest(r: {
  method: string;
  path: string;
  query: URLSearchParams;
  timestamp: string;
  nonce: string;
  body: string;
}): Promise<string> {
  const q = [...r.query.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
  const query = q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return [r.method.toUpperCase(), r.path, query, r.timestamp, r.nonce, await sha256Hex(r.body)].join('\n');
}

export const FEED_HEADERS = {
  keyId: 'x-kaoping-key-id',
  timestamp: 'x-kaoping-timestamp',
  nonce: 'x-kaoping-nonce',
  signature: 'x-kaoping-signature',
} as const;

/** Clock skew a signed request may have. */
export const FEED_MAX_SKEW_SECONDS = 300;

/** The headers of a signed feed request (used by the signing client and the tests). */
export async function signFeedRequest(r: {
  keyId: string;
  secret: string;
  method: string;
  url: string;
  body?: string;
  now?: Date;
  nonce?: string;
}): Promise<Record<string, string>> {
  const url = new URL(r.url);
  const timestamp = String(Math.floor((r.now ?? new Date()).getTime() / 1000));
  const nonce =
    r.nonce ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const canonical = await canonicalRequest({
    method: r.method,
    path: url.pathname,
    query: url.searchParams,
    timestamp,
    nonce,
    body: r.body ?? '',
  });
  return {
    [FEED_HEADERS.keyId]: r.keyId,
    [FEED_HEADERS.timestamp]: timestamp,
    [FEED_HEADERS.nonce]: nonce,
    [FEED_HEADERS.signature]: await hmacHex(r.secret, canonical),
  };
}
