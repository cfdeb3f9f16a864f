-- Custom migration (drizzle-kit cannot express triggers).
-- The audit log's hash chain (src/domain/audit-chain.ts): an entry is accepted
-- only as the next link after the chain's head: the next id, the head's hash
-- as its link (the genesis link if the log is empty or holds only entries
-- from before the chain), and a hash of its own. Two observer actions at once
-- both read the same head; the second one's batch is refused here and rolls
-- back whole, and the server seals it again on the new head
-- (src/server/db/audit.ts), so the chain never forks (the unique index on
-- prev_hash says the same). SQLite cannot compute SHA-256, so the database
-- checks the link, not the hash: `npm run audit:verify` recomputes the hashes.
CREATE TRIGGER `audit_log_chain` BEFORE INSERT ON `audit_log`
WHEN NEW.`hash` IS NULL
  OR NEW.`id` IS NOT coalesce((SELECT max(`id`) FROM `audit_log`), 0) + 1
  OR NEW.`prev_hash` IS NOT coalesce(
    (SELECT `hash` FROM `audit_log` ORDER BY `id` DESC LIMIT 1),
    '0000000000000000000000000000000000000000000000000000000000000000'
  )
BEGIN
  SELECT RAISE(ABORT, 'audit_chain_moved');
END;
