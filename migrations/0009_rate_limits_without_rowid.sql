-- Custom migration (drizzle-kit cannot express WITHOUT ROWID).
-- Every limited request bumps a rate-limit counter (each submission, code
-- check, forum post and message), and a counter is only ever found by its
-- key: WITHOUT ROWID keeps the row in the key's own b-tree, so a bump
-- touches one b-tree instead of the table and its key index, as for tallies
-- and redemptions (0007).
-- No RENAME: renaming makes SQLite re-check every trigger, and the
-- submission triggers (0008) name `rate_limits` while it is gone. The table
-- is rebuilt under its own name, the live windows kept through a copy.
CREATE TABLE `rate_limits_copy` (`key` text NOT NULL, `window` integer NOT NULL, `hits` integer NOT NULL);--> statement-breakpoint
INSERT INTO `rate_limits_copy` (`key`, `window`, `hits`) SELECT `key`, `window`, `hits` FROM `rate_limits`;--> statement-breakpoint
DROP TABLE `rate_limits`;--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text NOT NULL,
	`window` integer NOT NULL,
	`hits` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`key`, `window`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `rate_limits` (`key`, `window`, `hits`) SELECT `key`, `window`, `hits` FROM `rate_limits_copy`;--> statement-breakpoint
DROP TABLE `rate_limits_copy`;
