CREATE TABLE "rollup_campaigns" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"medium" text NOT NULL,
	"campaign" text NOT NULL,
	"campaign_id" text NOT NULL,
	"term" text NOT NULL,
	"content" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"engaged_sessions" integer DEFAULT 0 NOT NULL,
	"converted_sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_search_terms" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"search_engine" text NOT NULL,
	"term" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"engaged_sessions" integer DEFAULT 0 NOT NULL,
	"converted_sessions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_search_terms_site_id_day_search_engine_term_pk" PRIMARY KEY("site_id","day","search_engine","term")
);
--> statement-breakpoint
ALTER TABLE "rollup_sources" ADD COLUMN "search_engine" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_sources" ADD COLUMN "ai_assistant" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "campaign_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "term" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "content" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "source_category" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "search_engine" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "ai_assistant" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "search_term" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "user_agent" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "rules_version" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "rollup_campaigns_site_day" ON "rollup_campaigns" USING btree ("site_id","day");--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_search_term_length" CHECK (char_length("sessions"."search_term") <= 100);--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_agent_length" CHECK (char_length("sessions"."user_agent") <= 512);