/**
 * `rollup_queue`: the site-days whose rollups must be recomputed, as marks. This is their one
 * writer: ingest (days that received events), bot hits, goal changes (every recomputable day) and
 * erasure (the person's days) all mark days here, in the transaction that changed the rows; the
 * rollup job (aggregate/rollups.ts) reads the marks, recomputes each day and deletes the marks it
 * read, so a day marked again meanwhile is recomputed again. Marks are only inserted, never
 * updated: two writers marking one day do not wait for each other.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rollupDays, rollupQueue } from './schema.ts';
import { execute, names, type Runner } from './sql.ts';

/** Marks these local days (`YYYY-MM-DD`) of a site dirty. */
export async function markDirty(ex: Runner, siteId: string, days: Iterable<string>): Promise<void> {
  const list = [...new Set(days)];
  if (list.length === 0) return;
  await execute(ex, insert(sql`select ${siteId}::text, d::date from json_array_elements_text(${JSON.stringify(list)}::json) as d`));
}

/** Marks every day of a site that has rollups and lies after `day` (goals apply to the past too). */
export async function markDirtyAfter(ex: Runner, siteId: string, day: string): Promise<void> {
  await execute(
    ex,
    insert(sql`select ${rollupDays.siteId}, ${rollupDays.day} from ${rollupDays}
      where ${rollupDays.siteId} = ${siteId} and ${rollupDays.day} > ${day}::date`),
  );
}

const insert = (rows: SQL) => sql`insert into ${rollupQueue} ${names(rollupQueue.siteId, rollupQueue.day)} ${rows}`;
