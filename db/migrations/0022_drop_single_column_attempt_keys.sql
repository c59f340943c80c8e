-- The delivery-attempt logs are about to be partitioned by attempted_at, and a partitioned table's
-- primary key must include its partition key. drizzle-kit cannot name the old single-column keys,
-- so they are dropped here; the next (generated) migration adds (id, attempted_at).
ALTER TABLE "schedule_delivery_attempts" DROP CONSTRAINT "schedule_delivery_attempts_pkey";
--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" DROP CONSTRAINT "webhook_delivery_attempts_pkey";
