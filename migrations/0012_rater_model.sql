-- drizzle-kit generate, then hand-edited: its copy of token_keys selected a
-- `scope` column the old table does not have, and D1 refuses PRAGMA
-- foreign_keys (no table here has foreign keys).
-- 定点定向 (targeted codes, issue #18): a batch of codes may be bound to some
-- subjects (its scope); a token carries its code's scope, vouched for by a key
-- of its own, so the token key's primary key gains the scope. Existing keys,
-- codes and spent tokens are untargeted ('*').
CREATE TABLE `__new_token_keys` (
	`instrument` text NOT NULL,
	`rater_category` text NOT NULL,
	`scope` text DEFAULT '*' NOT NULL,
	`spki` text NOT NULL,
	`modulus` text NOT NULL,
	`sealed` text NOT NULL,
	`created_on` text NOT NULL,
	PRIMARY KEY(`instrument`, `rater_category`, `scope`)
);
--> statement-breakpoint
INSERT INTO `__new_token_keys`("instrument", "rater_category", "scope", "spki", "modulus", "sealed", "created_on") SELECT "instrument", "rater_category", '*', "spki", "modulus", "sealed", "created_on" FROM `token_keys`;--> statement-breakpoint
DROP TABLE `token_keys`;--> statement-breakpoint
ALTER TABLE `__new_token_keys` RENAME TO `token_keys`;--> statement-breakpoint
ALTER TABLE `codes` ADD `scope` text DEFAULT '*' NOT NULL;--> statement-breakpoint
ALTER TABLE `spent_tokens` ADD `scope` text DEFAULT '*' NOT NULL;
--> statement-breakpoint
-- The spend records the token's scope with it (for the public list's count
-- per key). Same trigger as 0011 otherwise.
DROP TRIGGER `spend_token`;--> statement-breakpoint
DROP VIEW `spend_intake`;--> statement-breakpoint
CREATE VIEW `spend_intake` (
	`token_hash`, `instrument`, `rater_category`, `scope`, `msg`, `sig`, `response_id`, `recorded_on`, `answers`, `receipt`, `pairs`
) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;--> statement-breakpoint
CREATE TRIGGER `spend_token` INSTEAD OF INSERT ON `spend_intake`
BEGIN
  INSERT INTO `spent_tokens` (`hash`, `instrument`, `rater_category`, `scope`, `msg`, `sig`)
    SELECT NEW.`token_hash`, NEW.`instrument`, NEW.`rater_category`, NEW.`scope`, NEW.`msg`, NEW.`sig`
    WHERE NOT EXISTS (SELECT 1 FROM `instrument_states` WHERE `instrument` = NEW.`instrument`)
    ON CONFLICT (`hash`) DO NOTHING;
  INSERT INTO `responses` (`id`, `instrument`, `rater_category`, `recorded_on`, `answers`, `receipt`)
    SELECT NEW.`response_id`, NEW.`instrument`, NEW.`rater_category`, NEW.`recorded_on`, NEW.`answers`, NEW.`receipt`
    WHERE changes() = 1;
  INSERT INTO `tallies` (`instrument`, `question`, `option`, `rater_category`, `count`)
    SELECT NEW.`instrument`, p.`value` ->> 0, p.`value` ->> 1, r.`rater_category`, 1
    FROM json_each(NEW.`pairs`) AS p, `responses` AS r WHERE r.`id` = NEW.`response_id`
    ON CONFLICT (`instrument`, `question`, `option`, `rater_category`) DO UPDATE SET `count` = `count` + 1;
END;
