// A small signing client for integrators: fetch the feed of an appraisal.
//   npm run feed -- --appraisal county-2026 [--csv] [--since CURSOR] [--origin URL] [--key-id ID --secret S]
// Key id and secret come from the flags, or from FEED_KEY_ID / FEED_KEY, or locally from .demo/feed-keys.csv.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signFeedRequest } from '../src/domain/feed';

const { values } = parseArgs({
  options: {
    appraisal: { type: 'string' },
    since: { type: 'string' },
    csv: { type: 'boolean', default: false },
    origin: { type: 'string', default: process.env.PUBLIC_ORIGIN ?? 'http://127.0.0.1:8788' },
    'key-id': { type: 'string', default: process.env.FEED_KEY_ID },
    secret: { type: 'string', default: process.env.FEED_KEY },
  },
});
let keyId = values['key-id'];
let secret = values.secret;
if ((!keyId || !secret) && existsSync('.demo/feed-keys.csv')) {
  const [, line] = readFileSync('.demo/feed-keys.csv', 'utf8').trim().split('\n');
  [keyId, secret] = (line ?? '').split(',');
}
if (!values.appraisal || !keyId || !secret) {
  console.error('用法: npm run feed -- --appraisal ID [--csv] [--since CURSOR] [--origin URL] --key-id ID --secret S');
  process.exit(2);
}
const url = new URL(`/api/v1/feed/appraisals/${values.appraisal}/tallies${values.csv ? '.csv' : ''}`, values.origin);
if (values.since) url.searchParams.set('since', values.since);
const headers = await signFeedRequest({ keyId, secret, method: 'GET', url: url.toString() });
const r = await fetch(url, { headers });
console.error(
  `HTTP ${r.status}  digest ${r.headers.get('x-kaoping-digest') ?? '-'}  cursor ${r.headers.get('x-kaoping-cursor') ?? '-'}`,
);
// Exit only once the (possibly large) body has been flushed to the pipe.
process.stdout.write(await r.text(), () => process.exit(r.ok ? 0 : 1));
