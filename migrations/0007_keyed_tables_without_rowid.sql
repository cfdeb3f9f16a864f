-- Custom migration (drizzle-kit cannot express WITHOUT ROWID).
-- Two tables every submission writes, found only by their keys, become
-- WITHOUT ROWID: the rows live in the key's own b-tree, so a write touches
-- one b-tree instead of a table and its key index.
-- - tallies: a submission bumps one small row per answer (150 on the big
--   ballot); one search per bump instead of two.
-- - redemptions: besides, a rowid table keeps a hidden increasing rowid,
--   which records the order in which codes were used; keyed by the code's
--   hash, that order is gone (as it is for responses, migration 0001).
-- Rows are copied as they are.
CREATE TABLE `tallies_by_key` (
	`instrument` text NOT NULL,
	`question` text NOT NULL,
	`option` text NOT NULL,
	`rater_category` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`instrument`, `question`, `option`, `rater_category`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `tallies_by_key` (`instrument`, `question`, `option`, `rater_category`, `count`)
	SELECT `instrument`, `question`, `option`, `rater_category`, `count` FROM `tallies`;--> statement-breakpoint
DROP TABLE `tallies`;--> statement-breakpoint
ALTER TABLE `tallies_by_key` RENAME TO `tallies`;--> statement-breakpoint
CREATE TABLE `redemptions_by_key` (
	`code_hash` text NOT NULL,
	`instrument` text NOT NULL,
	PRIMARY KEY(`code_hash`, `instrument`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `redemptions_by_key` (`code_hash`, `instrument`) SELECT `code_hash`, `instrument` FROM `redemptions`;--> statement-breakpoint
DROP TABLE `redemptions`;--> statement-breakpoint
ALTER TABLE `redemptions_by_key` RENAME TO `redemptions`;
