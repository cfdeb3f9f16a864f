CREATE TABLE `forum_posts` (
	`id` text PRIMARY KEY NOT NULL,
	`thread` text NOT NULL,
	`appraisal` text NOT NULL,
	`unit` text,
	`opening` integer NOT NULL,
	`display_name` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`hidden_reason` text,
	`reports` integer DEFAULT 0 NOT NULL,
	`reviewed_reports` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`moderated_at` text,
	`moderated_by` text,
	FOREIGN KEY (`thread`) REFERENCES `forum_threads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `forum_posts_thread` ON `forum_posts` (`thread`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `forum_posts_status` ON `forum_posts` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_reports` (
	`post` text NOT NULL,
	`reporter` text NOT NULL,
	PRIMARY KEY(`post`, `reporter`)
);
--> statement-breakpoint
CREATE TABLE `forum_threads` (
	`id` text PRIMARY KEY NOT NULL,
	`appraisal` text NOT NULL,
	`unit` text,
	`title` text NOT NULL,
	`created_at` text NOT NULL,
	`last_post_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `forum_threads_list` ON `forum_threads` (`appraisal`,`last_post_at`);--> statement-breakpoint
CREATE TABLE `message_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message` text NOT NULL,
	`observer` text,
	`at` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`message`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_notes_message` ON `message_notes` (`message`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`tracking_hash` text NOT NULL,
	`appraisal` text NOT NULL,
	`subject_kind` text,
	`subject_id` text,
	`unit` text,
	`body` text NOT NULL,
	`contact` text,
	`status` text NOT NULL,
	`reply` text,
	`replied_at` text,
	`assignee` text,
	`received_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_tracking` ON `messages` (`tracking_hash`);--> statement-breakpoint
CREATE INDEX `messages_queue` ON `messages` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `messages_assignee` ON `messages` (`assignee`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`observer` text,
	`action` text NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`before` text,
	`after` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_target` ON `audit_log` (`target_kind`,`target_id`);--> statement-breakpoint
CREATE TABLE `login_attempts` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `observer_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`observer` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`observer`) REFERENCES `observers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `observer_sessions_observer` ON `observer_sessions` (`observer`);--> statement-breakpoint
CREATE TABLE `observer_units` (
	`observer` text NOT NULL,
	`unit` text NOT NULL,
	`team` text,
	PRIMARY KEY(`observer`, `unit`),
	FOREIGN KEY (`observer`) REFERENCES `observers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `observers` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`last_login_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `observers_username` ON `observers` (`username`);