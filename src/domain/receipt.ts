// Receipts: a hash of the canonical response and a random salt, so a
// respondent can later check that their response was counted (the list of an
// instrument's receipts is published after close) without the receipt saying
// anything about the answers or the code.
import { ALPHABET, normaliseCrockford } from './code';

export const RECEIPT_CHARS = 16; // 80 bits
/** A receipt as shown: XXXX-XXXX-XXXX-XXXX. */
export const RECEIPT_PATTERN = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/;

export async function makeReceipt(
  instrument: string,
  canonical: string,
  salt: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const data = new TextEncoder().encode(`${instrument}\n${canonical}\n`);
  const buf = new Uint8Array(data.length + salt.length);
  buf.set(data);
  buf.set(salt, data.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
  let out = '';
  for (let i = 0; i < RECEIPT_CHARS; i++) out += ALPHABET[(digest[i] as number) & 31];
  return formatReceipt(out);
}

export const formatReceipt = (raw: string) => raw.match(/.{1,4}/g)?.join('-') ?? '';

/** Accept a receipt typed with any case, spaces or dashes, O for 0 and I/L for 1. */
export const normaliseReceipt = (input: string) => formatReceipt(normaliseCrockford(input));
