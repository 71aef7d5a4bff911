CREATE TABLE "bot_hits" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "bot_hits_site_id_day_pk" PRIMARY KEY("site_id","day")
);
--> statement-breakpoint
CREATE TABLE "event_ids" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ts" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid NOT NULL,
	"site_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"session_id" uuid NOT NULL,
	"type" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"url" text NOT NULL,
	"path" text NOT NULL,
	"referrer" text,
	"title" text,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_days" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"engaged_sessions" integer DEFAULT 0 NOT NULL,
	"returning_sessions" integer DEFAULT 0 NOT NULL,
	"pageviews" integer DEFAULT 0 NOT NULL,
	"engaged_ms" bigint DEFAULT 0 NOT NULL,
	"faq_sessions" integer DEFAULT 0 NOT NULL,
	"self_served_sessions" integer DEFAULT 0 NOT NULL,
	"escalations" integer DEFAULT 0 NOT NULL,
	"support_sessions" integer DEFAULT 0 NOT NULL,
	"frustrated_sessions" integer DEFAULT 0 NOT NULL,
	"loop_sessions" integer DEFAULT 0 NOT NULL,
	"bot_hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_days_site_id_day_pk" PRIMARY KEY("site_id","day")
);
--> statement-breakpoint
CREATE TABLE "rollup_faq" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"article" text NOT NULL,
	"title" text,
	"views" integer DEFAULT 0 NOT NULL,
	"helpful" integer DEFAULT 0 NOT NULL,
	"not_helpful" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_faq_site_id_day_article_pk" PRIMARY KEY("site_id","day","article")
);
--> statement-breakpoint
CREATE TABLE "rollup_friction" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"path" text NOT NULL,
	"kind" text NOT NULL,
	"selector" text NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_friction_site_id_day_path_kind_selector_pk" PRIMARY KEY("site_id","day","path","kind","selector")
);
--> statement-breakpoint
CREATE TABLE "rollup_goals" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"goal" text NOT NULL,
	"visitor_id" text NOT NULL,
	"channel" text NOT NULL,
	"source" text NOT NULL,
	"conversions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_goals_site_id_day_goal_visitor_id_channel_source_pk" PRIMARY KEY("site_id","day","goal","visitor_id","channel","source")
);
--> statement-breakpoint
CREATE TABLE "rollup_journeys" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"steps" text[] NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_pages" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"path" text NOT NULL,
	"device" text NOT NULL,
	"pageviews" integer DEFAULT 0 NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	"exits" integer DEFAULT 0 NOT NULL,
	"engaged_ms" bigint DEFAULT 0 NOT NULL,
	"not_found" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_pages_site_id_day_path_device_pk" PRIMARY KEY("site_id","day","path","device")
);
--> statement-breakpoint
CREATE TABLE "rollup_paths" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"pages" text[] NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_queue" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"dirtied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rollup_queue_site_id_day_pk" PRIMARY KEY("site_id","day")
);
--> statement-breakpoint
CREATE TABLE "rollup_searches" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"query" text NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"zero_results" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_searches_site_id_day_query_pk" PRIMARY KEY("site_id","day","query")
);
--> statement-breakpoint
CREATE TABLE "rollup_shares" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"network" text NOT NULL,
	"shares" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_shares_site_id_day_network_pk" PRIMARY KEY("site_id","day","network")
);
--> statement-breakpoint
CREATE TABLE "rollup_sources" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"source" text NOT NULL,
	"medium" text NOT NULL,
	"campaign" text NOT NULL,
	"network" text DEFAULT '' NOT NULL,
	"in_app" boolean NOT NULL,
	"landing_path" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"engaged_sessions" integer DEFAULT 0 NOT NULL,
	"converted_sessions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_sources_site_id_day_channel_source_medium_campaign_network_in_app_landing_path_pk" PRIMARY KEY("site_id","day","channel","source","medium","campaign","network","in_app","landing_path")
);
--> statement-breakpoint
CREATE TABLE "rollup_visitor_days" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"visitor_id" text NOT NULL,
	"customer_id" text,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"returning_sessions" integer DEFAULT 0 NOT NULL,
	"pageviews" integer DEFAULT 0 NOT NULL,
	"engaged_ms" bigint DEFAULT 0 NOT NULL,
	"custom_events" integer DEFAULT 0 NOT NULL,
	"goal_conversions" integer DEFAULT 0 NOT NULL,
	"faq_views" integer DEFAULT 0 NOT NULL,
	"faq_votes" integer DEFAULT 0 NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"nps_answers" integer DEFAULT 0 NOT NULL,
	"nps_last" integer,
	"nps_last_at" timestamp with time zone,
	"shares" integer DEFAULT 0 NOT NULL,
	"friction" integer DEFAULT 0 NOT NULL,
	"first_channel" text DEFAULT 'Direct' NOT NULL,
	"first_source" text DEFAULT '' NOT NULL,
	CONSTRAINT "rollup_visitor_days_site_id_day_visitor_id_pk" PRIMARY KEY("site_id","day","visitor_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_vitals" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"path" text NOT NULL,
	"device" text NOT NULL,
	"metric" text NOT NULL,
	"samples" integer DEFAULT 0 NOT NULL,
	"good" integer DEFAULT 0 NOT NULL,
	"needs_improvement" integer DEFAULT 0 NOT NULL,
	"poor" integer DEFAULT 0 NOT NULL,
	"buckets" integer[] NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "rollup_vitals_site_id_day_path_device_metric_pk" PRIMARY KEY("site_id","day","path","device","metric")
);
--> statement-breakpoint
CREATE TABLE "rollup_vitals_weeks" (
	"site_id" text NOT NULL,
	"week" date NOT NULL,
	"path" text NOT NULL,
	"device" text NOT NULL,
	"metric" text NOT NULL,
	"samples" integer DEFAULT 0 NOT NULL,
	"good" integer DEFAULT 0 NOT NULL,
	"needs_improvement" integer DEFAULT 0 NOT NULL,
	"poor" integer DEFAULT 0 NOT NULL,
	"buckets" integer[] NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "rollup_vitals_weeks_site_id_week_path_device_metric_pk" PRIMARY KEY("site_id","week","path","device","metric")
);
--> statement-breakpoint
CREATE TABLE "salts" (
	"day" text PRIMARY KEY NOT NULL,
	"salt" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_journeys" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"steps" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"visitor_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"landing_url" text NOT NULL,
	"landing_path" text NOT NULL,
	"exit_path" text NOT NULL,
	"referrer" text,
	"campaign_key" text DEFAULT '' NOT NULL,
	"pageviews" integer DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"engaged_ms" bigint DEFAULT 0 NOT NULL,
	"is_returning" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"medium" text DEFAULT '' NOT NULL,
	"campaign" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT 'Direct' NOT NULL,
	"network" text,
	"in_app" boolean DEFAULT false NOT NULL,
	"device" text DEFAULT 'desktop' NOT NULL,
	"browser" text DEFAULT '' NOT NULL,
	"os" text DEFAULT '' NOT NULL,
	"country" text
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" text PRIMARY KEY NOT NULL,
	"origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"retention_days" integer DEFAULT 400 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"hash" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_windows" (
	"site_id" text NOT NULL,
	"as_of" date NOT NULL,
	"visitor_id" text NOT NULL,
	"customer_id" text,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"sessions" bigint DEFAULT 0 NOT NULL,
	"returning_sessions" bigint DEFAULT 0 NOT NULL,
	"pageviews" bigint DEFAULT 0 NOT NULL,
	"engaged_ms" bigint DEFAULT 0 NOT NULL,
	"custom_events" bigint DEFAULT 0 NOT NULL,
	"goal_conversions" bigint DEFAULT 0 NOT NULL,
	"faq_votes" bigint DEFAULT 0 NOT NULL,
	"nps_answers" bigint DEFAULT 0 NOT NULL,
	"searches" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"faq_views" bigint DEFAULT 0 NOT NULL,
	"friction" bigint DEFAULT 0 NOT NULL,
	"latest_nps" integer,
	"first_channel" text,
	"first_source" text,
	"days_since" double precision NOT NULL,
	"recency" double precision NOT NULL,
	"frequency" double precision NOT NULL,
	"depth" double precision NOT NULL,
	"interaction" double precision NOT NULL,
	"advocacy" double precision NOT NULL,
	"total" double precision NOT NULL,
	CONSTRAINT "visitor_windows_site_id_as_of_visitor_id_pk" PRIMARY KEY("site_id","as_of","visitor_id")
);
--> statement-breakpoint
CREATE TABLE "visitors" (
	"site_id" text NOT NULL,
	"id" text NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"customer_id" text,
	CONSTRAINT "visitors_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_site_ts" ON "events" USING btree ("site_id","ts");--> statement-breakpoint
CREATE INDEX "events_session" ON "events" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "events_visitor" ON "events" USING btree ("site_id","visitor_id","ts");--> statement-breakpoint
CREATE INDEX "rollup_journeys_site_day" ON "rollup_journeys" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_paths_site_day" ON "rollup_paths" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "rollup_visitor_days_visitor" ON "rollup_visitor_days" USING btree ("site_id","visitor_id","day","returning_sessions");--> statement-breakpoint
CREATE INDEX "session_journeys_site_day" ON "session_journeys" USING btree ("site_id","day");--> statement-breakpoint
CREATE INDEX "sessions_site_started" ON "sessions" USING btree ("site_id","started_at");--> statement-breakpoint
CREATE INDEX "sessions_visitor" ON "sessions" USING btree ("site_id","visitor_id","started_at");--> statement-breakpoint
CREATE INDEX "visitor_windows_total" ON "visitor_windows" USING btree ("site_id","as_of","total" DESC NULLS LAST,"visitor_id");--> statement-breakpoint
CREATE INDEX "visitor_windows_last_seen" ON "visitor_windows" USING btree ("site_id","as_of","last_seen" DESC NULLS LAST,"visitor_id");--> statement-breakpoint
CREATE INDEX "visitors_customer" ON "visitors" USING btree ("site_id","customer_id");