// User text (forum posts, opinion-box messages and replies) is plain text.
// It is cleaned once on the way in and split into tokens on the way out, so a
// component renders text nodes and <a> elements only: no HTML string is ever
// built from user input, and only http(s) addresses become links.

export type TextToken = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** What a link from user text carries: no ranking credit, marked as user content, no opener access. */
export const USER_LINK_REL = 'nofollow ugc noopener';

// C0/C1 controls except tab and line feed, bidi overrides (used to disguise
// text) and zero-width characters that only serve to hide content.
const UNWANTED = /(?![\t\n])[\p{Cc}\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\ufeff]/gu;

/**
 * Normalise typed text: one kind of line break, no control characters, no
 * trailing spaces, at most two consecutive empty lines, trimmed.
 */
export function cleanText(input: string): string {
  // Remove first, then compose: a dropped character between a letter and its
  // accent would otherwise leave text that is not NFC.
  return input
    .replace(/\r\n?/g, '\n')
    .replace(UNWANTED, '')
    .normalize('NFC')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
}

/** Cleaned text on one line (titles, display names): every run of white space becomes one space. */
export function cleanLine(input: string): string {
  return cleanText(input).replace(/\s+/g, ' ');
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
