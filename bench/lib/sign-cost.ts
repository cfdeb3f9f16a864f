// The cost of one blind signature in workerd, on its own: the private RSA
// operation the issuing route runs (blindrsa-ts `blindSign` with
// `supportsRSARAW` is one WebCrypto `sign` with RSA-RAW), timed in the
// workerd that `wrangler pages dev` uses, through Miniflare. Inside workerd
// the clock stands still while code runs, so the timing is taken outside:
// one request that signs N times against one that signs none, several times,
// on an otherwise idle machine (run it before the load, not during it).
import { createRequire } from 'node:module';
import { TOKEN_MODULUS_BITS } from '../../src/domain/token';

interface MiniflareLike {
  ready: Promise<URL>;
  dispatchFetch(url: string, init: { method: string; body: string }): Promise<{ text(): Promise<string> }>;
  dispose(): Promise<void>;
}

const WORKER = `
const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
export default {
  async fetch(request) {
    const { pkcs8, msg, n } = await request.json();
    const key = await crypto.subtle.importKey('pkcs8', bytes(pkcs8), { name: 'RSA-RAW', hash: 'SHA-384' }, false, ['sign']);
    const m = bytes(msg);
    let last = new ArrayBuffer(0);
    for (let i = 0; i < n; i++) last = await crypto.subtle.sign({ name: 'RSA-RAW' }, key, m);
    return new Response(btoa(String.fromCharCode(...new Uint8Array(last))));
  },
};`;

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const big = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);

export interface SignCost {
  /** Median over the repeats of (time of N signs − time of none) / N, in ms. */
  perSignMs: number;
  /** Every repeat's figure, in ms. */
  samples: number[];
  signs: number;
  /** Versions of the miniflare and workerd that ran it (wrangler's own). */
  miniflare: string;
  workerd: string;
}

export async function workerdSignCost(signs = 400, repeats = 5): Promise<SignCost> {
  // The miniflare (and workerd) that wrangler itself runs, not whichever copy is hoisted.
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
  const { Miniflare, convertV4MiniflareOptions } = fromWrangler('miniflare') as {
    Miniflare: new (o: object) => MiniflareLike;
    convertV4MiniflareOptions: (o: object) => object;
  };
  const miniflare = (fromWrangler('miniflare/package.json') as { version: string }).version;
  const workerd = (
    createRequire(fromWrangler.resolve('miniflare/package.json'))('workerd/package.json') as { version: string }
  ).version;
  const pair = (await crypto.subtle.generateKey(
    {
      name: 'RSA-PSS',
      hash: 'SHA-384',
      modulusLength: TOKEN_MODULUS_BITS,
      publicExponent: Uint8Array.from([1, 0, 1]),
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const n = big(Buffer.from(jwk.n ?? '', 'base64url'));
  const msg = crypto.getRandomValues(new Uint8Array(TOKEN_MODULUS_BITS / 8));
  msg[0] = (msg[0] as number) & 0x7f;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: [{ name: 'sign', modules: true, script: WORKER, compatibilityDate: '2026-10-01' }],
    }),
  );
  try {
    await mf.ready;
    const call = async (count: number) => {
      const t0 = performance.now();
      const r = await mf.dispatchFetch('http://sign.local/', {
        method: 'POST',
        body: JSON.stringify({ pkcs8: b64(pkcs8), msg: b64(msg), n: count }),
      });
      const text = await r.text();
      return { ms: performance.now() - t0, sig: Buffer.from(text, 'base64') };
    };
    // Warm-up, and proof that it is the real private operation: s^e mod n = m.
    const { sig } = await call(1);
    let s = 1n;
    let b = big(sig) % n;
    for (let e = 65537n; e > 0n; e >>= 1n) {
      if (e & 1n) s = (s * b) % n;
      b = (b * b) % n;
    }
    if (s !== big(msg)) throw new Error('workerd RSA-RAW did not invert the public key');
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const none = (await call(0)).ms;
      const many = (await call(signs)).ms;
      samples.push((many - none) / signs);
    }
    const sorted = [...samples].sort((x, y) => x - y);
    return { perSignMs: sorted[Math.floor(sorted.length / 2)] as number, samples, signs, miniflare, workerd };
  } finally {
    await mf.dispose();
  }
}
