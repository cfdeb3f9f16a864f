// Tracking numbers: what a writer gets to follow what he sent, an opinion-box
// message or a forum post awaiting review. The server keeps only a keyed hash.
import { z } from 'zod';
import { ALPHABET, checkCharacter, normaliseCrockford, type RandomFill } from '../code';

// 14 random Crockford characters (70 bits) and a Luhn mod 32
// check character, grouped in fives (XXXXX-XXXXX-XXXXX) so they cannot be
// mistaken for a participation code (fours, 13) or a receipt (fours, 16).
export const TRACKING_RANDOM = 14;

export function newTrackingNumber(random: RandomFill = (a) => crypto.getRandomValues(a)): string {
  let body = '';
  for (const b of random(new Uint8Array(TRACKING_RANDOM))) body += ALPHABET[b & 31];
  return formatTracking(body + checkCharacter(body));
}

export const formatTracking = (normalised: string) => normalised.match(/.{1,5}/g)?.join('-') ?? '';

/** As typed: checked for shape only; whether it exists is the API's answer. */
export const trackingInput = z
  .string()
  .max(40)
  .refine((s) => {
    const n = normaliseCrockford(s);
    return n.length === TRACKING_RANDOM + 1 && [...n].every((ch) => ALPHABET.includes(ch));
  }, '查询号共 15 位 (如 ABCDE-FGHJK-MNPQR)');
