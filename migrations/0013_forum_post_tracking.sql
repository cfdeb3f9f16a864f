ALTER TABLE `forum_posts` ADD `tracking_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `forum_posts_tracking` ON `forum_posts` (`tracking_hash`);