-- Custom migration (drizzle-kit cannot express WITHOUT ROWID).
-- A rowid table keeps a hidden, increasing rowid: the storage order of
-- responses would line up with the order of redemptions and so link a
-- response to a code. WITHOUT ROWID stores rows by their random primary key,
-- which carries no order. tests/api/privacy.test.ts checks this.
DROP INDEX IF EXISTS `responses_receipt`;--> statement-breakpoint
DROP INDEX IF EXISTS `responses_instrument`;--> statement-breakpoint
DROP TABLE `responses`;--> statement-breakpoint
CREATE TABLE `responses` (
	`id` text PRIMARY KEY NOT NULL,
	`instrument` text NOT NULL,
	`rater_category` text NOT NULL,
	`recorded_on` text NOT NULL,
	`answers` text NOT NULL,
	`receipt` text NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
CREATE UNIQUE INDEX `responses_receipt` ON `responses` (`receipt`);--> statement-breakpoint
CREATE INDEX `responses_instrument` ON `responses` (`instrument`);
