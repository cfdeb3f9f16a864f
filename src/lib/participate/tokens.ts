// The participant's token for one instrument: taken with the code when the
// instrument is opened, spent with the answers. Between the two it lives in
// localStorage under a hash of (instrument, code), so a crash, a closed tab or
// a lost connection does not cost the participant their one chance: asking
// again with the same blinded message returns the same signature (200), and a
// finished token is spent as it is. Removed once the answers are stored.
// The code itself is never stored; the hash keys the slot, so another person
// using the same device with another code never sees this token.
import { normaliseCrockford } from '../../domain/code';
import type { SpendToken } from '../../domain/schemas/token';
import { sha256Hex } from '../../domain/token';
import type { ApiResult } from '../api/client';
import * as api from './api';
import type { BlindState } from './token';

interface Held {
  state: BlindState;
  token?: SpendToken;
  /** When the slot may be dropped: the instrument's close (an unspent token is worthless after it). */
  until: string;
}

const PREFIX = 'kaoping:token:';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

async function slot(instrument: string, code: string) {
  const bytes = new TextEncoder().encode(`kaoping-slot\n${instrument}\n${normaliseCrockford(code)}`);
  return `${PREFIX}${(await sha256Hex(bytes)).slice(0, 32)}`;
}

/** Drop slots of closed instruments (and unreadable ones). */
function sweep(now = Date.now()) {
  const s = storage();
  if (!s) return;
  for (const k of Object.keys(s)) {
    if (!k.startsWith(PREFIX)) continue;
    try {
      const h = JSON.parse(s.getItem(k) ?? '') as Held;
      if (!(Date.parse(h.until) > now)) s.removeItem(k);
    } catch {
      s.removeItem(k);
    }
  }
}

export async function heldToken(instrument: string, code: string): Promise<Held | null> {
  sweep();
  try {
    const raw = storage()?.getItem(await slot(instrument, code));
    const h = raw ? (JSON.parse(raw) as Held) : null;
    return h?.state?.instrument === instrument ? h : null;
  } catch {
    return null;
  }
}

async function keep(instrument: string, code: string, held: Held) {
  try {
    storage()?.setItem(await slot(instrument, code), JSON.stringify(held));
  } catch {
    // Storage off or full: the token then lives only as long as this page.
  }
}

export async function dropToken(instrument: string, code: string) {
  try {
    storage()?.removeItem(await slot(instrument, code));
  } catch {
    // nothing to drop
  }
}

/**
 * The token for this instrument: the one held, or a new one bought with the
 * code. The blinding code (big-number arithmetic) is loaded only here.
 */
export async function obtainToken(
  inst: { id: string; closesAt: string },
  raterCategory: string,
  scope: string,
  code: string,
  humanCheck: () => Promise<string | null>,
): Promise<ApiResult<SpendToken> | null> {
  let held = await heldToken(inst.id, code);
  if (held?.token) return { ok: true, data: held.token };
  const lib = await import('./token');
  if (!held) {
    const keys = await api.getTokenKey(inst.id);
    if (!keys.ok) return keys;
    // The key of the code's category and scope: it alone vouches for what the token may answer.
    const key = keys.data.keys.find((k) => k.raterCategory === raterCategory && k.scope === scope);
    if (!key) return { ok: false, status: 403, code: 'category_not_allowed' };
    held = { state: await lib.blindToken(inst.id, raterCategory, key.spki, scope), until: inst.closesAt };
    // Kept before asking: if the answer is lost, the same blinded message gets the same signature.
    await keep(inst.id, code, held);
  }
  let r: ApiResult<{ blindSig: string }> | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const check = await humanCheck();
    if (!check) return null;
    r = await api.requestToken(inst.id, { code, turnstileToken: check, blindedMsg: held.state.blindedMsg });
    if (r.ok || r.code !== 'turnstile_failed') break;
  }
  if (!r) return null;
  if (!r.ok) return r;
  let token: SpendToken;
  try {
    token = await lib.finalizeToken(held.state, r.data.blindSig);
  } catch {
    // The signature does not verify with the published key: never spend it.
    await dropToken(inst.id, code);
    return { ok: false, status: 502, code: 'token_invalid' };
  }
  await keep(inst.id, code, { ...held, token });
  return { ok: true, data: token };
}
