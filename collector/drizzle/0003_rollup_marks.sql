ALTER TABLE "rollup_queue" DROP CONSTRAINT "rollup_queue_site_id_day_pk";--> statement-breakpoint
ALTER TABLE "rollup_queue" ADD PRIMARY KEY ("id");--> statement-breakpoint
CREATE INDEX "rollup_queue_site_day" ON "rollup_queue" USING btree ("site_id","day");--> statement-breakpoint
ALTER TABLE "rollup_queue" DROP COLUMN "version";