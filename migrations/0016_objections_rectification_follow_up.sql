CREATE TABLE `message_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message` text NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`text` text,
	FOREIGN KEY (`message`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_events_message` ON `message_events` (`message`);--> statement-breakpoint
CREATE TABLE `objection_credentials` (
	`hash` text PRIMARY KEY NOT NULL,
	`appraisal` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`unit` text NOT NULL,
	`issued_on` text NOT NULL,
	`revoked_on` text
);
--> statement-breakpoint
CREATE INDEX `objection_credentials_subject` ON `objection_credentials` (`appraisal`,`subject_kind`,`subject_id`);--> statement-breakpoint
CREATE TABLE `objection_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`objection` text NOT NULL,
	`at` text NOT NULL,
	`status` text NOT NULL,
	`observer` text,
	`text` text,
	`internal` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`objection`) REFERENCES `objections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `objection_events_objection` ON `objection_events` (`objection`);--> statement-breakpoint
CREATE TABLE `objections` (
	`id` text PRIMARY KEY NOT NULL,
	`tracking_hash` text NOT NULL,
	`appraisal` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`unit` text NOT NULL,
	`kind` text NOT NULL,
	`matter` text NOT NULL,
	`grounds` text NOT NULL,
	`attachments` text,
	`contact` text NOT NULL,
	`status` text NOT NULL,
	`filed_at` text NOT NULL,
	`accept_due` text NOT NULL,
	`answer_due` text NOT NULL,
	`assignee` text,
	`refusal` text,
	`decision` text,
	`reasons` text,
	`reply` text,
	`answered_at` text,
	`public` integer DEFAULT false NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objections_tracking` ON `objections` (`tracking_hash`);--> statement-breakpoint
CREATE INDEX `objections_queue` ON `objections` (`appraisal`,`status`,`filed_at`);--> statement-breakpoint
CREATE INDEX `objections_public` ON `objections` (`appraisal`,`public`);--> statement-breakpoint
CREATE TABLE `rectification_items` (
	`id` text PRIMARY KEY NOT NULL,
	`appraisal` text NOT NULL,
	`unit` text NOT NULL,
	`source` text NOT NULL,
	`source_note` text,
	`objection` text,
	`problem` text NOT NULL,
	`measure` text NOT NULL,
	`responsible` text NOT NULL,
	`deadline` text NOT NULL,
	`completed_on` text,
	`evidence` text,
	`created_at` text NOT NULL,
	`created_by` text,
	`updated_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rectification_unit` ON `rectification_items` (`appraisal`,`unit`);--> statement-breakpoint
ALTER TABLE `messages` ADD `topic` text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `due_on` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `publish_consent` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `published` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `rating` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `reopened_at` text;--> statement-breakpoint
CREATE INDEX `messages_unit` ON `messages` (`appraisal`,`unit`);