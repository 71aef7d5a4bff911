ALTER TABLE "sessions" DROP CONSTRAINT "sessions_user_agent_length";--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "in_app_network" text;--> statement-breakpoint
ALTER TABLE "sessions" DROP COLUMN "user_agent";