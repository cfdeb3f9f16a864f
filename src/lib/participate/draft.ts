// Unsent answers survive a reload, a crash or a lost connection: they are kept
// in sessionStorage (this tab only, gone when it closes) under the instrument's
// id until the response is stored. The code is never part of a draft.
import type { Answers } from '../../domain/instrument';

const key = (instrument: string) => `kaoping:draft:${instrument}`;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be switched off; the form still works, only without drafts.
    return null;
  }
}

const isAnswer = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

export function loadDraft(instrument: string): Answers | null {
  try {
    const raw = storage()?.getItem(key(instrument));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const out: Answers = {};
    for (const [k, v] of Object.entries(parsed)) if (isAnswer(v)) out[k] = v as string | string[];
    return Object.keys(out).length > 0 ? out : null;
  } catch {
    return null;
  }
}

export function saveDraft(instrument: string, answers: Answers) {
  try {
    if (Object.keys(answers).length === 0) storage()?.removeItem(key(instrument));
    else storage()?.setItem(key(instrument), JSON.stringify(answers));
  } catch {
    // Quota or privacy mode: the answers stay on the page.
  }
}

export function clearDraft(instrument: string) {
  try {
    storage()?.removeItem(key(instrument));
  } catch {
    // nothing to clear
  }
}

export const hasDraft = (instrument: string) => loadDraft(instrument) !== null;
