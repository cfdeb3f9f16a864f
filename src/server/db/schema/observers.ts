// Observer accounts (created with `npm run observers`), their units,
// sessions, login lock-outs, and the append-only audit log of their actions.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { auditActions } from '../../../domain/schemas/audit';
import { observerRoles } from '../../../domain/schemas/observer-account';

export const observers = sqliteTable(
  'observers',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: observerRoles }).notNull(),
    /** `pbkdf2$<iterations>$<salt b64>$<hash b64>` (src/server/auth/password.ts). */
    passwordHash: text('password_hash').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    lastLoginAt: text('last_login_at'),
  },
  (t) => [uniqueIndex('observers_username').on(t.username)],
);

/** 分片负责: the units an observer is responsible for; `team` says which team assignment brought the unit in. */
export const observerUnits = sqliteTable(
  'observer_units',
  {
    observer: text('observer')
      .notNull()
      .references(() => observers.id),
    unit: text('unit').notNull(),
    team: text('team'),
  },
  (t) => [primaryKey({ columns: [t.observer, t.unit] })],
);

/** Only the SHA-256 of the cookie's token is stored: a copy of this table cannot log anyone in. */
export const observerSessions = sqliteTable(
  'observer_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    observer: text('observer')
      .notNull()
      .references(() => observers.id),
    /** Echoed by the console in X-CSRF-Token on every state change. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    /** Absolute expiry; the idle expiry is last_seen_at + the idle limit. */
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('observer_sessions_observer').on(t.observer)],
);

/**
 * Failed logins per username (HMAC of the name), whether or not such an
 * account exists, so a lock-out says nothing about which names are real.
 */
export const loginAttempts = sqliteTable('login_attempts', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: text('locked_until'),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Who did what, when, with the state before and after. Append-only: a custom
 * migration adds triggers that abort any UPDATE or DELETE. A hash chain
 * (src/domain/audit-chain.ts) makes an edit by someone with direct access
 * show: each entry holds the previous entry's hash and its own, and a trigger
 * (migrations/0015_audit_chain_trigger.sql) accepts an entry only as the next link of the head.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** null: the CLI. */
    observer: text('observer'),
    action: text('action', { enum: auditActions }).notNull(),
    targetKind: text('target_kind').notNull(),
    targetId: text('target_id').notNull(),
    before: text('before'),
    after: text('after'),
    requestId: text('request_id'),
    /** The previous entry's hash (the genesis link for the first); null on entries older than the chain. */
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    index('audit_log_target').on(t.targetKind, t.targetId),
    // Two entries can never follow the same one: the chain cannot fork.
    uniqueIndex('audit_log_prev_hash').on(t.prevHash),
  ],
);
