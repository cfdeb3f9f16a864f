-- Hand-written (drizzle-kit cannot express data changes): messages stored
-- before 0012 get what every new message gets at once, a reply deadline and
-- the start of the history their writer sees. The deadline of an old message
-- is 21 calendar days after its receipt (15 working days, holidays aside):
-- SQL has no working-day calendar, and these rows predate the rule.
UPDATE `messages` SET `due_on` = date(`received_at`, '+8 hours', '+21 days') WHERE `due_on` IS NULL;
--> statement-breakpoint
INSERT INTO `message_events` (`message`, `at`, `kind`, `status`, `text`)
  SELECT `id`, `received_at`, 'received', 'received', NULL FROM `messages`;
--> statement-breakpoint
INSERT INTO `message_events` (`message`, `at`, `kind`, `status`, `text`)
  SELECT `id`, `replied_at`, 'replied', 'answered', NULL FROM `messages` WHERE `replied_at` IS NOT NULL;
--> statement-breakpoint
-- Where it stands now, if that is neither of the two steps above.
INSERT INTO `message_events` (`message`, `at`, `kind`, `status`, `text`)
  SELECT `id`, `updated_at`, 'status', `status`, NULL FROM `messages` WHERE `status` NOT IN ('received', 'answered');
