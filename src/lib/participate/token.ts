// The participant's side of a token (RFC 9474 client: prepare, blind,
// finalize) through @cloudflare/blindrsa-ts. Blinding hides the message from
// the signer: the server signs `blindedMsg` without learning the token it
// becomes, so the spent token cannot be matched to the code that paid for it.
// The islands load this module only when a code instrument is opened (it
// brings the library's big-number code); the demo seeder and tests use it too.
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import type { SpendToken } from '../../domain/schemas/token';
import { ALL_SUBJECTS, fromBase64Url, toBase64Url, tokenMessage } from '../../domain/token';

const suite = RSABSSA.SHA384.PSS.Randomized();

/** What must survive a crash between asking for a signature and receiving it. */
export interface BlindState {
  instrument: string;
  raterCategory: string;
  /** The subjects a targeted code may rate ('*': all), signed into the token so the spend can hold it to them. */
  scope: string;
  spki: string;
  /** The prepared message (random prefix ‖ message). */
  msg: string;
  blindedMsg: string;
  /** The blinding factor's inverse: secret, kept on the device only. */
  inv: string;
}

const bytes = (b64: string) => {
  const out = fromBase64Url(b64);
  if (!out) throw new Error('not base64url');
  return out;
};

// blindrsa-ts reads the modulus through a JWK export, so the key must be extractable (it is public anyway).
const importKey = (spki: string) =>
  crypto.subtle.importKey('spki', bytes(spki), { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']);

/** A fresh token message for this instrument, category and scope, blinded for that key. */
export async function blindToken(
  instrument: string,
  raterCategory: string,
  spki: string,
  scope = ALL_SUBJECTS,
): Promise<BlindState> {
  const msg = suite.prepare(tokenMessage(instrument, raterCategory, scope));
  const { blindedMsg, inv } = await suite.blind(await importKey(spki), msg);
  return {
    instrument,
    raterCategory,
    scope,
    spki,
    msg: toBase64Url(msg),
    blindedMsg: toBase64Url(blindedMsg),
    inv: toBase64Url(inv),
  };
}

/** Unblind the server's signature into the token; throws if it does not verify with the published key. */
export async function finalizeToken(state: BlindState, blindSig: string): Promise<SpendToken> {
  const sig = await suite.finalize(await importKey(state.spki), bytes(state.msg), bytes(blindSig), bytes(state.inv));
  return { msg: state.msg, sig: toBase64Url(sig) };
}
