ALTER TABLE "session_journeys" ADD COLUMN "first_faq" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session_journeys" ADD COLUMN "last_support" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session_journeys" ADD COLUMN "friction" integer;--> statement-breakpoint
ALTER TABLE "session_journeys" ADD COLUMN "looped" boolean;--> statement-breakpoint
-- The journeys written before hold no facts (friction null): filtered reports read those sessions' facts from their
-- events, correct but slower. Their days are marked for the rollup job, which rewrites them with the facts.
INSERT INTO "rollup_queue" ("site_id", "day") SELECT DISTINCT "site_id", "day" FROM "session_journeys";
