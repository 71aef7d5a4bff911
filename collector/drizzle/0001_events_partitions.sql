-- Raw events are partitioned by month, so that retention drops whole partitions (aggregate/retention.ts
-- creates them ahead of time); anything outside the prepared months lands in the default partition.
-- drizzle-kit cannot express partitioning: this hand-written migration turns the `events` table of
-- 0000_init into a partitioned one, with the same columns and the indexes of db/schema.ts
-- (db/schema.test.ts checks both). A database made before this migration existed has partitioned
-- events already, and is left as it is.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'events') THEN
    ALTER TABLE "events" RENAME TO "events_unpartitioned";
    CREATE TABLE "events" (LIKE "events_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("ts");
    CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;
    INSERT INTO "events" SELECT * FROM "events_unpartitioned";
    DROP TABLE "events_unpartitioned";
    CREATE INDEX "events_site_ts" ON "events" USING btree ("site_id","ts");
    CREATE INDEX "events_session" ON "events" USING btree ("session_id");
    CREATE INDEX "events_visitor" ON "events" USING btree ("site_id","visitor_id","ts");
  END IF;
END $$;
