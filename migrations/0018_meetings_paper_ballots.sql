-- Custom migration (drizzle-kit generated the tables; WITHOUT ROWID and the
-- triggers are written by hand). Evaluation meetings and paper ballots.
-- Paper ballots, keyings and paper counters are WITHOUT ROWID: no hidden rowid
-- records the order in which sheets were keyed (docs/privacy.md).
CREATE TABLE `meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`appraisal` text NOT NULL,
	`instrument` text NOT NULL,
	`held_on` text NOT NULL,
	`place` text NOT NULL,
	`categories` text NOT NULL,
	`issued` integer NOT NULL,
	`returned` integer NOT NULL,
	`spoilt` integer DEFAULT 0 NOT NULL,
	`recorded_at` text NOT NULL,
	CONSTRAINT "meetings_counts" CHECK("meetings"."issued" >= "meetings"."returned" AND "meetings"."returned" >= "meetings"."spoilt" AND "meetings"."spoilt" >= 0)
);
--> statement-breakpoint
CREATE INDEX `meetings_instrument` ON `meetings` (`instrument`);--> statement-breakpoint
CREATE TABLE `paper_ballots` (
	`instrument` text NOT NULL,
	`serial` text NOT NULL,
	`meeting` text NOT NULL,
	`rater_category` text NOT NULL,
	`answers` text NOT NULL,
	PRIMARY KEY(`instrument`, `serial`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `paper_ballots_meeting` ON `paper_ballots` (`meeting`);--> statement-breakpoint
CREATE TABLE `paper_keyings` (
	`meeting` text NOT NULL,
	`serial` text NOT NULL,
	`pass` integer NOT NULL,
	`observer` text NOT NULL,
	`rater_category` text NOT NULL,
	`answers` text NOT NULL,
	PRIMARY KEY(`meeting`, `serial`, `pass`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `paper_tallies` (
	`instrument` text NOT NULL,
	`question` text NOT NULL,
	`option` text NOT NULL,
	`rater_category` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`instrument`, `question`, `option`, `rater_category`)
) WITHOUT ROWID;
--> statement-breakpoint
-- A counted ballot belongs to a meeting of its instrument, and a meeting
-- never counts more ballots than were returned and not spoilt: checked here,
-- in the statement that counts, so two observers counting at once cannot
-- both take the last place.
CREATE TRIGGER `paper_ballots_within_returned` BEFORE INSERT ON `paper_ballots`
WHEN NOT EXISTS (
  SELECT 1 FROM `meetings` m WHERE m.`id` = NEW.`meeting` AND m.`instrument` = NEW.`instrument`
    AND (SELECT count(*) FROM `paper_ballots` b WHERE b.`meeting` = NEW.`meeting`) < m.`returned` - m.`spoilt`
)
BEGIN
  SELECT RAISE(ABORT, 'paper_ballots_over_returned');
END;--> statement-breakpoint
-- Each counted ballot adds one to its (question, option, category) counters:
-- a choice answer is a JSON string, a multiple choice a JSON array.
CREATE TRIGGER `paper_ballots_tally` AFTER INSERT ON `paper_ballots`
BEGIN
  INSERT INTO `paper_tallies` (`instrument`, `question`, `option`, `rater_category`, `count`)
    SELECT NEW.`instrument`, a.`key`, a.`value`, NEW.`rater_category`, 1
      FROM json_each(NEW.`answers`) a WHERE a.`type` = 'text'
    UNION ALL
    SELECT NEW.`instrument`, a.`key`, o.`value`, NEW.`rater_category`, 1
      FROM json_each(NEW.`answers`) a, json_each(a.`value`) o WHERE a.`type` = 'array'
  ON CONFLICT (`instrument`, `question`, `option`, `rater_category`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
-- Counted ballots are append-only.
CREATE TRIGGER `paper_ballots_no_update` BEFORE UPDATE ON `paper_ballots`
BEGIN
  SELECT RAISE(ABORT, 'paper_ballots_append_only');
END;--> statement-breakpoint
CREATE TRIGGER `paper_ballots_no_delete` BEFORE DELETE ON `paper_ballots`
BEGIN
  SELECT RAISE(ABORT, 'paper_ballots_append_only');
END;--> statement-breakpoint
-- A meeting's returned and spoilt counts can be corrected, never below the ballots already counted.
CREATE TRIGGER `meetings_not_below_counted` BEFORE UPDATE OF `returned`, `spoilt` ON `meetings`
WHEN NEW.`returned` - NEW.`spoilt` < (SELECT count(*) FROM `paper_ballots` b WHERE b.`meeting` = NEW.`id`)
BEGIN
  SELECT RAISE(ABORT, 'meetings_below_counted');
END;
