CREATE TABLE `feed_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`fingerprint` text NOT NULL,
	`created_on` text NOT NULL,
	`revoked_on` text
);
--> statement-breakpoint
CREATE TABLE `feed_nonces` (
	`key_id` text NOT NULL,
	`nonce` text NOT NULL,
	`expires` integer NOT NULL,
	PRIMARY KEY(`key_id`, `nonce`)
);
