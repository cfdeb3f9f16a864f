CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`instrument` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` text
);
--> statement-breakpoint
CREATE INDEX `webhook_due` ON `webhook_deliveries` (`status`,`next_attempt_at`);