// Phone numbers and e-mail addresses written into content prose ("考核意见受理
// 电话 0799-8611700", "发送至 kpyj@example.org") become links, like the ones the
// content gives as fields (TeamCard, unit pages): a journalist taps or copies
// any of them the same way.
import { mailHref, telHref } from './urls';

export type Piece = { text: string; href?: string };

/** E-mail, a landline with its area code (0799-8611700), or a mobile number (13912345678). */
const CONTACT =
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}|(?<![0-9])(?:0\d{2,3}-\d{7,8}(?:-\d{1,6})?|1[3-9]\d{9})(?![0-9])/g;

/** The text cut into plain pieces and linked contacts, in order; joined back, the same text. */
export function contactPieces(text: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(CONTACT)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ text: m[0], href: m[0].includes('@') ? mailHref(m[0]) : telHref(m[0]) });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
