-- Custom migration (drizzle-kit generated the new columns and tables; WITHOUT
-- ROWID, the views and the triggers are written by hand).
-- Blind-signed participation tokens: being entitled and answering become two
-- separate commits that share no row (docs/privacy.md).
--
-- 1. The old submission (0008) redeemed the code and stored the response in
--    one statement, so the database's own history (WAL, D1 Time Travel) held
--    "this code said this". It goes.
DROP TRIGGER `submission_with_code`;--> statement-breakpoint
DROP TRIGGER `submission_public`;--> statement-breakpoint
DROP VIEW `submission_intake`;--> statement-breakpoint
-- 2. Spent tokens, keyed by the hash of the token: a token spends once.
--    WITHOUT ROWID, so the table keeps no order of spending.
CREATE TABLE `spent_tokens` (
	`hash` text PRIMARY KEY NOT NULL,
	`instrument` text NOT NULL,
	`rater_category` text NOT NULL,
	`msg` text NOT NULL,
	`sig` text NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
CREATE INDEX `spent_tokens_instrument` ON `spent_tokens` (`instrument`,`msg`);--> statement-breakpoint
CREATE TABLE `token_keys` (
	`instrument` text NOT NULL,
	`rater_category` text NOT NULL,
	`spki` text NOT NULL,
	`modulus` text NOT NULL,
	`sealed` text NOT NULL,
	`created_on` text NOT NULL,
	PRIMARY KEY(`instrument`, `rater_category`)
);--> statement-breakpoint
-- 3. Rate-limit windows carry their end, and every new window drops up to
--    four ended ones (found through the index), in the statement that opens
--    it: the table holds live windows only, with no job to schedule (Pages
--    has no cron) and no caller to forget. Existing windows are kept a day.
ALTER TABLE `rate_limits` ADD `expires` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `rate_limits` SET `expires` = `window` + 86400;--> statement-breakpoint
CREATE INDEX `rate_limits_expires` ON `rate_limits` (`expires`);--> statement-breakpoint
CREATE TRIGGER `rate_limits_prune` AFTER INSERT ON `rate_limits`
BEGIN
  DELETE FROM `rate_limits` WHERE (`key`, `window`) IN (
    SELECT `key`, `window` FROM `rate_limits` WHERE `expires` < NEW.`window` LIMIT 4
  );
END;--> statement-breakpoint
ALTER TABLE `redemptions` ADD `blinded_hash` text;--> statement-breakpoint
-- 4. codes WITHOUT ROWID: an ordinary table's hidden rowid grows in the order
--    the rows were inserted, i.e. the order the slips were printed, so a code
--    hash gave the slip's position in its print run. Keyed by the hash only,
--    that order is gone (and `npm run codes` now inserts in random order too).
--    Rebuilt under its own name through a copy, as rate_limits in 0009.
CREATE TABLE `codes_copy` (`hash` text, `appraisal` text, `rater_category` text, `batch` text, `issued_on` text, `revoked_on` text);--> statement-breakpoint
INSERT INTO `codes_copy` SELECT `hash`, `appraisal`, `rater_category`, `batch`, `issued_on`, `revoked_on` FROM `codes`;--> statement-breakpoint
DROP TABLE `codes`;--> statement-breakpoint
CREATE TABLE `codes` (
	`hash` text PRIMARY KEY NOT NULL,
	`appraisal` text NOT NULL,
	`rater_category` text NOT NULL,
	`batch` text NOT NULL,
	`issued_on` text NOT NULL,
	`revoked_on` text
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `codes` SELECT * FROM `codes_copy` ORDER BY `hash`;--> statement-breakpoint
DROP TABLE `codes_copy`;--> statement-breakpoint
CREATE INDEX `codes_batch` ON `codes` (`batch`);--> statement-breakpoint
CREATE INDEX `codes_appraisal_category` ON `codes` (`appraisal`,`rater_category`);--> statement-breakpoint
-- 5. Spending a token: one INSERT into this view, whose trigger does every
--    step inside that one statement (a batch cannot branch): record the
--    token as spent unless staff closed or paused the instrument (a second
--    spend of the same token changes nothing), store the response only if
--    THIS statement just recorded the token (changes() = 1), bump the
--    tallies only if the response is stored. Turnout follows `responses`
--    (trigger of 0006). Nothing of the code, the redemption or the client.
CREATE VIEW `spend_intake` (
	`token_hash`, `instrument`, `rater_category`, `msg`, `sig`, `response_id`, `recorded_on`, `answers`, `receipt`, `pairs`
) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;--> statement-breakpoint
CREATE TRIGGER `spend_token` INSTEAD OF INSERT ON `spend_intake`
BEGIN
  INSERT INTO `spent_tokens` (`hash`, `instrument`, `rater_category`, `msg`, `sig`)
    SELECT NEW.`token_hash`, NEW.`instrument`, NEW.`rater_category`, NEW.`msg`, NEW.`sig`
    WHERE NOT EXISTS (SELECT 1 FROM `instrument_states` WHERE `instrument` = NEW.`instrument`)
    ON CONFLICT (`hash`) DO NOTHING;
  INSERT INTO `responses` (`id`, `instrument`, `rater_category`, `recorded_on`, `answers`, `receipt`)
    SELECT NEW.`response_id`, NEW.`instrument`, NEW.`rater_category`, NEW.`recorded_on`, NEW.`answers`, NEW.`receipt`
    WHERE changes() = 1;
  INSERT INTO `tallies` (`instrument`, `question`, `option`, `rater_category`, `count`)
    SELECT NEW.`instrument`, p.`value` ->> 0, p.`value` ->> 1, NEW.`rater_category`, 1
    FROM json_each(NEW.`pairs`) AS p WHERE EXISTS (SELECT 1 FROM `responses` WHERE `id` = NEW.`response_id`)
    ON CONFLICT (`instrument`, `question`, `option`, `rater_category`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
-- 6. A public response (no code, no token): count the request; store the
--    response if the instrument is not closed early and the client is under
--    its limit; bump the tallies if stored.
CREATE VIEW `public_intake` (
	`instrument`, `response_id`, `recorded_on`, `answers`, `receipt`, `pairs`, `request_key`, `request_window`, `request_max`, `request_expires`
) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;--> statement-breakpoint
CREATE TRIGGER `public_response` INSTEAD OF INSERT ON `public_intake`
BEGIN
  INSERT INTO `rate_limits` (`key`, `window`, `hits`, `expires`)
    VALUES (NEW.`request_key`, NEW.`request_window`, 1, NEW.`request_expires`)
    ON CONFLICT (`key`, `window`) DO UPDATE SET `hits` = `hits` + 1;
  INSERT INTO `responses` (`id`, `instrument`, `rater_category`, `recorded_on`, `answers`, `receipt`)
    SELECT NEW.`response_id`, NEW.`instrument`, 'public', NEW.`recorded_on`, NEW.`answers`, NEW.`receipt`
    WHERE NOT EXISTS (SELECT 1 FROM `instrument_states` WHERE `instrument` = NEW.`instrument`)
    AND (SELECT `hits` FROM `rate_limits` WHERE `key` = NEW.`request_key` AND `window` = NEW.`request_window`) <= NEW.`request_max`;
  INSERT INTO `tallies` (`instrument`, `question`, `option`, `rater_category`, `count`)
    SELECT NEW.`instrument`, p.`value` ->> 0, p.`value` ->> 1, 'public', 1
    FROM json_each(NEW.`pairs`) AS p WHERE EXISTS (SELECT 1 FROM `responses` WHERE `id` = NEW.`response_id`)
    ON CONFLICT (`instrument`, `question`, `option`, `rater_category`) DO UPDATE SET `count` = `count` + 1;
END;
