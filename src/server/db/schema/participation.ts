// Participation: codes, redemptions, token keys, spent tokens, responses,
// tallies, turnout, limits. Issuing a token writes `redemptions` (and rate
// limits); spending one writes `spent_tokens`, `responses`, `tallies` and
// `turnout`. No table is written by both: see docs/privacy.md.
// Column comments say why a column exists; see docs/privacy.md for what must
// never be added here.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { overrideStates } from '../../../domain/schemas/instrument';

/**
 * One-time participation codes (一人一号): only the keyed hash is kept, never
 * the code. WITHOUT ROWID (migration 0010), so no hidden rowid records the
 * order in which the slips were printed.
 */
export const codes = sqliteTable(
  'codes',
  {
    /** HMAC-SHA256(CODE_PEPPER, normalised code), hex. */
    hash: text('hash').primaryKey(),
    appraisal: text('appraisal').notNull(),
    raterCategory: text('rater_category').notNull(),
    /** The issuing batch, so a lost or leaked print run can be revoked whole. */
    batch: text('batch').notNull(),
    issuedOn: text('issued_on').notNull(),
    revokedOn: text('revoked_on'),
    /**
     * 定点定向: the subjects a targeted batch may rate, sorted ids joined by
     * commas ('*': every subject). A token carries it, vouched for by a key of
     * its own, so the spend can refuse answers about other subjects.
     */
    scope: text('scope').notNull().default('*'),
  },
  (t) => [index('codes_batch').on(t.batch), index('codes_appraisal_category').on(t.appraisal, t.raterCategory)],
);

/**
 * That a code has taken its token for an instrument (one per code and
 * instrument: the primary key). `blinded_hash` is SHA-256 of the blinded
 * message it was signed for, so the same request again gets the same
 * signature and another one is refused; a blinded message says nothing about
 * the token it becomes (RFC 9474 blinding). No time, no response: nothing here
 * leads to a response. Legacy rows from before tokens have no blinded_hash.
 */
export const redemptions = sqliteTable(
  'redemptions',
  {
    codeHash: text('code_hash').notNull(),
    instrument: text('instrument').notNull(),
    blindedHash: text('blinded_hash'),
  },
  (t) => [primaryKey({ columns: [t.codeHash, t.instrument] })],
);

/**
 * The blind-signing keys: one RSA key pair per instrument, rater category and
 * scope (RSABSSA-SHA384-PSS-Randomized, 2048 bits): the signer cannot read
 * the message it signs, so the key is what vouches for the category and the
 * subjects a token may rate. The private key is stored
 * sealed (AES-256-GCM under a key derived from TOKEN_KEY_SECRET, which is not
 * in the database); `modulus` (hex, 512 digits) lets the issuing statement
 * refuse a blinded message that is not below it before a code is redeemed.
 */
export const tokenKeys = sqliteTable(
  'token_keys',
  {
    instrument: text('instrument').notNull(),
    raterCategory: text('rater_category').notNull(),
    /** The codes' scope this key signs for ('*': untargeted codes). */
    scope: text('scope').notNull().default('*'),
    /** base64url DER SubjectPublicKeyInfo, as published. */
    spki: text('spki').notNull(),
    modulus: text('modulus').notNull(),
    /** base64url(iv ‖ AES-GCM(PKCS#8)), bound to instrument, category and spki. */
    sealed: text('sealed').notNull(),
    createdOn: text('created_on').notNull(),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.raterCategory, t.scope] })],
);

/**
 * Spent tokens, keyed by SHA-256 of the prepared message (a token spends
 * once: the primary key). WITHOUT ROWID (migration 0010): no order of spending.
 * The message and signature are kept to be published after close, so anyone
 * can check that every counted response carried a valid token.
 */
export const spentTokens = sqliteTable(
  'spent_tokens',
  {
    hash: text('hash').primaryKey(),
    instrument: text('instrument').notNull(),
    raterCategory: text('rater_category').notNull(),
    /** The scope the token's message names, to count spent tokens per key in the public list. */
    scope: text('scope').notNull().default('*'),
    msg: text('msg').notNull(),
    sig: text('sig').notNull(),
  },
  (t) => [index('spent_tokens_instrument').on(t.instrument, t.msg)],
);

/**
 * Stored responses. A random id in a WITHOUT ROWID table (see the custom
 * migration) so neither a column nor the storage order lines up with
 * redemptions; the date only, never the time.
 */
export const responses = sqliteTable(
  'responses',
  {
    id: text('id').primaryKey(),
    instrument: text('instrument').notNull(),
    raterCategory: text('rater_category').notNull(),
    recordedOn: text('recorded_on').notNull(),
    /** The validated answers, canonical JSON. */
    answers: text('answers').notNull(),
    receipt: text('receipt').notNull(),
  },
  (t) => [uniqueIndex('responses_receipt').on(t.receipt), index('responses_instrument').on(t.instrument)],
);

/** Exact counters, bumped in the same batch that stores the response (WITHOUT ROWID: migration 0007). Text answers are counted, not kept here. */
export const tallies = sqliteTable(
  'tallies',
  {
    instrument: text('instrument').notNull(),
    question: text('question').notNull(),
    option: text('option').notNull(),
    raterCategory: text('rater_category').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.question, t.option, t.raterCategory] })],
);

/** Responses per instrument and rater category (turnout), counted by a trigger on `responses` (migration 0006). */
export const turnout = sqliteTable(
  'turnout',
  {
    instrument: text('instrument').notNull(),
    raterCategory: text('rater_category').notNull(),
    responses: integer('responses').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.raterCategory] })],
);

/** Staff overrides of an instrument's window (closed early, paused). Dates live in content. */
export const instrumentStates = sqliteTable('instrument_states', {
  instrument: text('instrument').primaryKey(),
  state: text('state', { enum: overrideStates }).notNull(),
  changedAt: text('changed_at').notNull(),
});

/**
 * Fixed-window rate-limit counters. The key is an HMAC of the client address
 * (an IPv6 address by its /64) with a secret that rotates daily, never the
 * address itself. WITHOUT ROWID (migration 0009): every limited request bumps
 * one. `expires` (epoch seconds, the window's end) lets every batch that bumps
 * a counter also drop a few ended windows, so the table holds only live ones.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    window: integer('window').notNull(),
    hits: integer('hits').notNull().default(0),
    expires: integer('expires').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.window] }), index('rate_limits_expires').on(t.expires)],
);
