// Serial numbers of printed paper ballots: six digits and a check letter,
// shown as 000123-K. The check letter is the digits weighted 7..2 modulo 23
// (a prime, so every weight is invertible): a single mistyped digit and a
// swap of two different neighbouring digits both change it, so the keying
// console refuses a misread serial before anything is sent. The serial says
// nothing about a rater: sheets are handed out unnamed, in any order.

/** 23 letters, without I, O (read as digits) and Z (read as 2). */
export const SERIAL_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXY';
export const SERIAL_DIGITS = 6;
export const MAX_SERIAL = 10 ** SERIAL_DIGITS - 1;
const SERIAL = /^(\d{6})-?([A-Z])$/;

export function serialCheck(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (digits.length + 1 - i);
  return SERIAL_LETTERS[sum % SERIAL_LETTERS.length] as string;
}

/** The printed serial of sheet number n (1-based). */
export function formatSerial(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SERIAL) throw new RangeError(`serial ${n} out of range`);
  const digits = String(n).padStart(SERIAL_DIGITS, '0');
  return `${digits}-${serialCheck(digits)}`;
}

/** A serial as typed (spaces, lower case, no dash) made canonical, or null when malformed or its check letter is wrong. */
export function parseSerial(input: string): string | null {
  const m = SERIAL.exec(input.trim().toUpperCase().replace(/\s+/g, ''));
  if (!m) return null;
  const [, digits, letter] = m as unknown as [string, string, string];
  if (digits === '000000' || serialCheck(digits) !== letter) return null;
  return `${digits}-${letter}`;
}
