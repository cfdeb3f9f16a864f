-- Custom migration (drizzle-kit cannot express views with triggers).
-- The submission protocol, in the database: one INSERT into this view hands
-- over a whole submission and its triggers do every step inside that one
-- statement. The batch that submits is this statement plus one read of the
-- outcome (src/server/db/responses.ts); each statement of a batch costs, and
-- the submission is the hottest write we have.
--
-- With a code: count the request, and a failure if the code is unknown
-- (one statement, in the same step as the check, so a burst of guesses cannot all pass);
-- redeem the code, only if it is valid for this instrument, the instrument is
-- not closed early and the client is under both limits; store the response
-- only if THIS statement just redeemed (changes() = 1: a code redeemed earlier
-- must never let a second response in); bump the tallies only if the response
-- is stored. Turnout is counted by the trigger on `responses` (0006). A
-- second use of a code violates the redemptions primary key, which aborts
-- the statement and the batch: nothing is half-written.
-- The response row gets no code, no time and no order (see docs/privacy.md).
CREATE VIEW `submission_intake` (
	`code_hash`, `appraisal`, `categories`, `instrument`, `response_id`, `recorded_on`, `answers`, `receipt`, `pairs`,
	`request_key`, `request_window`, `request_max`, `failure_key`, `failure_window`, `failure_max`
) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;--> statement-breakpoint
CREATE TRIGGER `submission_with_code` INSTEAD OF INSERT ON `submission_intake` WHEN NEW.`code_hash` IS NOT NULL
BEGIN
  INSERT INTO `rate_limits` (`key`, `window`, `hits`)
    SELECT NEW.`request_key`, NEW.`request_window`, 1 WHERE true
    UNION ALL SELECT NEW.`failure_key`, NEW.`failure_window`, 1 WHERE NOT EXISTS (
      SELECT 1 FROM `codes` WHERE `hash` = NEW.`code_hash` AND `revoked_on` IS NULL AND `appraisal` = NEW.`appraisal`
    )
    ON CONFLICT (`key`, `window`) DO UPDATE SET `hits` = `hits` + 1;
  INSERT INTO `redemptions` (`code_hash`, `instrument`)
    SELECT NEW.`code_hash`, NEW.`instrument` WHERE EXISTS (
      SELECT 1 FROM `codes` WHERE `hash` = NEW.`code_hash` AND `appraisal` = NEW.`appraisal` AND `revoked_on` IS NULL
        AND `rater_category` IN (SELECT `value` FROM json_each(NEW.`categories`))
    )
    AND NOT EXISTS (SELECT 1 FROM `instrument_states` WHERE `instrument` = NEW.`instrument`)
    AND (SELECT `hits` FROM `rate_limits` WHERE `key` = NEW.`request_key` AND `window` = NEW.`request_window`) <= NEW.`request_max`
    AND coalesce((SELECT `hits` FROM `rate_limits` WHERE `key` = NEW.`failure_key` AND `window` = NEW.`failure_window`), 0) < NEW.`failure_max`;
  INSERT INTO `responses` (`id`, `instrument`, `rater_category`, `recorded_on`, `answers`, `receipt`)
    SELECT NEW.`response_id`, NEW.`instrument`, c.`rater_category`, NEW.`recorded_on`, NEW.`answers`, NEW.`receipt`
    FROM `codes` AS c WHERE c.`hash` = NEW.`code_hash` AND changes() = 1;
  INSERT INTO `tallies` (`instrument`, `question`, `option`, `rater_category`, `count`)
    SELECT NEW.`instrument`, p.`value` ->> 0, p.`value` ->> 1, r.`rater_category`, 1
    FROM json_each(NEW.`pairs`) AS p, `responses` AS r WHERE r.`id` = NEW.`response_id`
    ON CONFLICT (`instrument`, `question`, `option`, `rater_category`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
-- Without a code (public instruments): count the request; store the response
-- if the instrument is not closed early and the client is under its limit.
CREATE TRIGGER `submission_public` INSTEAD OF INSERT ON `submission_intake` WHEN NEW.`code_hash` IS NULL
BEGIN
  INSERT INTO `rate_limits` (`key`, `window`, `hits`) VALUES (NEW.`request_key`, NEW.`request_window`, 1)
    ON CONFLICT (`key`, `window`) DO UPDATE SET `hits` = `hits` + 1;
  INSERT INTO `responses` (`id`, `instrument`, `rater_category`, `recorded_on`, `answers`, `receipt`)
    SELECT NEW.`response_id`, NEW.`instrument`, 'public', NEW.`recorded_on`, NEW.`answers`, NEW.`receipt`
    WHERE NOT EXISTS (SELECT 1 FROM `instrument_states` WHERE `instrument` = NEW.`instrument`)
    AND (SELECT `hits` FROM `rate_limits` WHERE `key` = NEW.`request_key` AND `window` = NEW.`request_window`) <= NEW.`request_max`;
  INSERT INTO `tallies` (`instrument`, `question`, `option`, `rater_category`, `count`)
    SELECT NEW.`instrument`, p.`value` ->> 0, p.`value` ->> 1, r.`rater_category`, 1
    FROM json_each(NEW.`pairs`) AS p, `responses` AS r WHERE r.`id` = NEW.`response_id`
    ON CONFLICT (`instrument`, `question`, `option`, `rater_category`) DO UPDATE SET `count` = `count` + 1;
END;
