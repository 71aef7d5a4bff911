CREATE TABLE "rollup_campaigns_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
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
CREATE TABLE "rollup_faq_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"session_day" date NOT NULL,
	"article" text NOT NULL,
	"title" text,
	"views" integer DEFAULT 0 NOT NULL,
	"helpful" integer DEFAULT 0 NOT NULL,
	"not_helpful" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_friction_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"session_day" date NOT NULL,
	"path" text NOT NULL,
	"kind" text NOT NULL,
	"selector" text NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_journeys_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"steps" text[] NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_outcome_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"faq_sessions" integer DEFAULT 0 NOT NULL,
	"self_served_sessions" integer DEFAULT 0 NOT NULL,
	"escalations" integer DEFAULT 0 NOT NULL,
	"support_sessions" integer DEFAULT 0 NOT NULL,
	"frustrated_sessions" integer DEFAULT 0 NOT NULL,
	"loop_sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_page_views_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"session_day" date NOT NULL,
	"path" text NOT NULL,
	"device" text NOT NULL,
	"pageviews" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_paths_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"pages" text[] NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_search_terms_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"search_engine" text NOT NULL,
	"term" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"engaged_sessions" integer DEFAULT 0 NOT NULL,
	"converted_sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_searches_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"session_day" date NOT NULL,
	"query" text NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"zero_results" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_shares_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"session_day" date NOT NULL,
	"network" text NOT NULL,
	"shares" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_sources_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"channel" text NOT NULL,
	"source" text NOT NULL,
	"medium" text NOT NULL,
	"campaign" text NOT NULL,
	"network" text DEFAULT '' NOT NULL,
	"in_app" boolean NOT NULL,
	"search_engine" text DEFAULT '' NOT NULL,
	"ai_assistant" text DEFAULT '' NOT NULL,
	"landing_path" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"engaged_sessions" integer DEFAULT 0 NOT NULL,
	"converted_sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_vitals_segments" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"segment" text NOT NULL,
	"value" text NOT NULL,
	"session_day" date NOT NULL,
	"path" text NOT NULL,
	"device" text NOT NULL,
	"metric" text NOT NULL,
	"samples" integer DEFAULT 0 NOT NULL,
	"good" integer DEFAULT 0 NOT NULL,
	"needs_improvement" integer DEFAULT 0 NOT NULL,
	"poor" integer DEFAULT 0 NOT NULL,
	"buckets" integer[] NOT NULL,
	"counts" integer[] NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rollup_campaigns_segments_segment" ON "rollup_campaigns_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_campaigns_segments_site_day" ON "rollup_campaigns_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_faq_segments_segment" ON "rollup_faq_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_faq_segments_site_day" ON "rollup_faq_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_friction_segments_segment" ON "rollup_friction_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_friction_segments_site_day" ON "rollup_friction_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_journeys_segments_segment" ON "rollup_journeys_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_journeys_segments_site_day" ON "rollup_journeys_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_outcome_segments_segment" ON "rollup_outcome_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_outcome_segments_site_day" ON "rollup_outcome_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_page_views_segments_segment" ON "rollup_page_views_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_page_views_segments_site_day" ON "rollup_page_views_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_paths_segments_segment" ON "rollup_paths_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_paths_segments_site_day" ON "rollup_paths_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_search_terms_segments_segment" ON "rollup_search_terms_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_search_terms_segments_site_day" ON "rollup_search_terms_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_searches_segments_segment" ON "rollup_searches_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_searches_segments_site_day" ON "rollup_searches_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_shares_segments_segment" ON "rollup_shares_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_shares_segments_site_day" ON "rollup_shares_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_sources_segments_segment" ON "rollup_sources_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_sources_segments_site_day" ON "rollup_sources_segments" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_vitals_segments_segment" ON "rollup_vitals_segments" USING btree ("site_id","segment","value","day");--> statement-breakpoint
CREATE INDEX "rollup_vitals_segments_site_day" ON "rollup_vitals_segments" USING btree ("site_id","day");--> statement-breakpoint
-- The segment rollups start empty: every rolled-up day is marked for the rollup job, which writes them (until it has, a
-- report with one filter reads no rows for that day).
INSERT INTO "rollup_queue" ("site_id", "day") SELECT DISTINCT "site_id", "day" FROM "rollup_days";
