/**
 * `rollup_queue`: the site-days whose rollups must be recomputed. This is its one writer: ingest
 * (days that received events), goal changes (every recomputable day) and erasure (the person's days)
 * all mark days here; the rollup job (aggregate/rollups.ts) reads the marks and clears the version it
 * recomputed, so a day marked again meanwhile is recomputed again.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rollupDays, rollupQueue } from './schema.ts';
import { execute, name, names, type Runner } from './sql.ts';

/** Marks these local days (`YYYY-MM-DD`) of a site dirty: a new mark, or the next version of one. */
export async function markDirty(ex: Runner, siteId: string, days: Iterable<string>): Promise<void> {
  const list = [...new Set(days)];
  if (list.length === 0) return;
  await execute(ex, upsert(sql`select ${siteId}::text, d::date, 1, now() from json_array_elements_text(${JSON.stringify(list)}::json) as d`));
}

/** Marks every day of a site that has rollups and lies after `day` (goals apply to the past too). */
export async function markDirtyAfter(ex: Runner, siteId: string, day: string): Promise<void> {
  await execute(
    ex,
    upsert(sql`select ${rollupDays.siteId}, ${rollupDays.day}, 1, now() from ${rollupDays}
      where ${rollupDays.siteId} = ${siteId} and ${rollupDays.day} > ${day}::date`),
  );
}

const upsert = (rows: SQL) => sql`
  insert into ${rollupQueue} ${names(rollupQueue.siteId, rollupQueue.day, rollupQueue.version, rollupQueue.dirtiedAt)} ${rows}
  on conflict ${names(rollupQueue.siteId, rollupQueue.day)}
  do update set ${name(rollupQueue.version)} = ${rollupQueue.version} + 1, ${name(rollupQueue.dirtiedAt)} = now()`;
