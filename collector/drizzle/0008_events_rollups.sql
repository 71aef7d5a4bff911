CREATE TABLE "rollup_event_props" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	"prop" text NOT NULL,
	"value" text NOT NULL,
	"visitor_id" text NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_event_props_site_id_day_name_prop_value_visitor_id_pk" PRIMARY KEY("site_id","day","name","prop","value","visitor_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_events" (
	"site_id" text NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	"visitor_id" text NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_events_site_id_day_name_visitor_id_pk" PRIMARY KEY("site_id","day","name","visitor_id")
);
