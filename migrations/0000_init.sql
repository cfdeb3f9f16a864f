CREATE TABLE `codes` (
	`hash` text PRIMARY KEY NOT NULL,
	`appraisal` text NOT NULL,
	`rater_category` text NOT NULL,
	`batch` text NOT NULL,
	`issued_on` text NOT NULL,
	`revoked_on` text
);
--> statement-breakpoint
CREATE INDEX `codes_batch` ON `codes` (`batch`);--> statement-breakpoint
CREATE INDEX `codes_appraisal_category` ON `codes` (`appraisal`,`rater_category`);--> statement-breakpoint
CREATE TABLE `instrument_states` (
	`instrument` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`changed_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text NOT NULL,
	`window` integer NOT NULL,
	`hits` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`key`, `window`)
);
--> statement-breakpoint
CREATE TABLE `redemptions` (
	`code_hash` text NOT NULL,
	`instrument` text NOT NULL,
	PRIMARY KEY(`code_hash`, `instrument`)
);
--> statement-breakpoint
CREATE TABLE `responses` (
	`id` text PRIMARY KEY NOT NULL,
	`instrument` text NOT NULL,
	`rater_category` text NOT NULL,
	`recorded_on` text NOT NULL,
	`answers` text NOT NULL,
	`receipt` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `responses_receipt` ON `responses` (`receipt`);--> statement-breakpoint
CREATE INDEX `responses_instrument` ON `responses` (`instrument`);--> statement-breakpoint
CREATE TABLE `tallies` (
	`instrument` text NOT NULL,
	`question` text NOT NULL,
	`option` text NOT NULL,
	`rater_category` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`instrument`, `question`, `option`, `rater_category`)
);
--> statement-breakpoint
CREATE TABLE `turnout` (
	`instrument` text NOT NULL,
	`rater_category` text NOT NULL,
	`responses` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`instrument`, `rater_category`)
);
