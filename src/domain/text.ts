// User text (forum posts, opinion-box messages and replies) is plain text.
// It is cleaned once on the way in and split into tokens on the way out, so a
// component renders text nodes and <a> elements only: no HTML string is ever
// built from user input, and only http(s) addresses become links.

export type TextToken = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** What a link from user text carries: no ranking credit, marked as user content, no opener access. */
export const USER_LINK_REL = 'nofollow ugc noopener';

// What cleaning drops everywhere: C0/C1 controls but tab and line feed, and
// every format character (\p{Cf}: bidi marks, overrides and isolates, zero-width
// space, word joiner, soft hyphen, Arabic letter mark, BOM, the invisible tag
// characters U+E0000-E007F that can smuggle a whole hidden sentence), plus the
// Hangul fillers, letters that draw nothing. The one format character body
// text keeps is the zero-width joiner between two emoji (👨‍👩‍👧 is one picture;
// without it, three): anywhere else it only hides or splits words. Names and
// titles keep none (see cleanLine).
const CONTROL = /(?![\t\n])\p{Cc}/gu;
const INVISIBLE = /[\u115f\u1160\u3164\uffa0]/gu;
const FORMAT_BUT_ZWJ = /(?!\u200d)\p{Cf}/gu;
/** A ZWJ not inside an emoji sequence (an emoji, maybe with a presentation or skin-tone modifier, ZWJ, an emoji). */
const STRAY_ZWJ =
  /(?<!\p{Extended_Pictographic}[\ufe0f\u{1f3fb}-\u{1f3ff}]?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;
/** Line and paragraph separators are line breaks written another way. */
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;

/**
 * Normalise typed text: one kind of line break, no control or format
 * character (but the joiner inside emoji), no trailing spaces, at most two
 * consecutive empty lines, trimmed.
 */
export function cleanText(input: string): string {
  // Remove first, then compose: a dropped character between a letter and its
  // accent would otherwise leave text that is not NFC.
  return input
    .replace(LINE_BREAK, '\n')
    .replace(CONTROL, '')
    .replace(FORMAT_BUT_ZWJ, '')
    .replace(INVISIBLE, '')
    .replace(STRAY_ZWJ, '')
    .normalize('NFC')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
}

/**
 * Cleaned text on one line (titles, display names): every run of white space
 * becomes one space, and no joiner survives, not even between emoji: a name is
 * read and compared, and a joiner in it only serves to make two names that
 * look alike differ. The braille blank (U+2800) draws nothing in a line either.
 */
export function cleanLine(input: string): string {
  return cleanText(input)
    .replace(/[\u200d\u2800]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether text has something a reader can see: a letter, digit, punctuation mark or symbol. */
export const hasVisibleText = (s: string) => /[\p{L}\p{N}\p{P}\p{S}]/u.test(s);

/**
 * Parts of a name that would make a post look as if it came from the
 * appraisal's organisers or the authorities (县委组织部考核组, 管理员, …), in
 * simplified and traditional writing. Compared after NFKC (full-width letters
 * fold) with spaces, punctuation and symbols removed, so "县 委·组织部" is caught.
 */
export const RESERVED_NAME_PARTS = [
  '县委',
  '縣委',
  '政府',
  '组织部',
  '組織部',
  '考核',
  '考评',
  '考評',
  '绩效办',
  '績效辦',
  '纪委',
  '紀委',
  '监委',
  '監委',
  '人大',
  '政协',
  '政協',
  '观察员',
  '觀察員',
  '调查员',
  '調查員',
  '管理员',
  '管理員',
  '工作人员',
  '工作人員',
  '官方',
  '版主',
  '客服',
  'admin',
  'moderator',
  'official',
  'system',
] as const;

/** Whether a display name poses as an official or the platform (RESERVED_NAME_PARTS). */
export function posesAsOfficial(name: string): boolean {
  const folded = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}\p{M}]/gu, '');
  return RESERVED_NAME_PARTS.some((part) => folded.includes(part));
}

// A candidate address: scheme, then anything up to white space or a character
// that cannot end a URL in running text (full-width punctuation, brackets, quotes).
const CANDIDATE = /https?:\/\/[^\s<>"'`\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+/gi;
/** Punctuation that usually ends the sentence rather than the address. */
const TRAILING = '.,;:!?)]}';

/** Drop sentence punctuation after an address, but keep a ")" that closes a "(" inside it ("…/a_(b)"). */
function trimTrailing(raw: string): string {
  let end = raw.length;
  while (end > 0 && TRAILING.includes(raw[end - 1] as string)) {
    const body = raw.slice(0, end);
    if (raw[end - 1] === ')' && body.split('(').length > body.split(')').length - 1) break;
    end--;
  }
  return raw.slice(0, end);
}

/** The address as a link target, if it is an absolute http(s) URL with a host; null otherwise. */
export function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  // Credentials in a link are a classic disguise ("https://bank.example@evil.example").
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** Split text into plain runs and http(s) links; the concatenated `text` of the tokens is the input. */
export function tokenize(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  const push = (s: string) => {
    if (s === '') return;
    const last = tokens.at(-1);
    if (last?.kind === 'text') last.text += s;
    else tokens.push({ kind: 'text', text: s });
  };
  let at = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    const start = m.index ?? 0;
    const raw = trimTrailing(m[0]);
    const trail = m[0].slice(raw.length);
    const href = safeHref(raw);
    push(text.slice(at, start));
    if (href) tokens.push({ kind: 'link', text: raw, href });
    else push(raw);
    push(trail);
    at = start + m[0].length;
  }
  push(text.slice(at));
  return tokens;
}
