#!/usr/bin/env node
/**
 * Until the first release, the schema is one migration: this regenerates it from src/db/schema.ts
 * with drizzle-kit and adds what drizzle-kit cannot express (the monthly partitioning of events).
 * After a release, use `drizzle-kit generate` for new, numbered migrations instead.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

rmSync('drizzle', { recursive: true, force: true });
execFileSync('npx', ['drizzle-kit', 'generate', '--name', 'init'], { stdio: 'inherit' });
const file = 'drizzle/0000_init.sql';
const sql = readFileSync(file, 'utf8');
const start = sql.indexOf('CREATE TABLE "events" (');
const end = sql.indexOf(');', start);
writeFileSync(
  file,
  sql.slice(0, end) +
    `) PARTITION BY RANGE ("ts");
--> statement-breakpoint
-- Raw events are partitioned by month so that retention drops whole partitions (aggregate/retention.ts
-- creates them ahead of time); anything outside the prepared months lands in the default partition.
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT` +
    sql.slice(end + 1),
);
