/**
 * Rollups: what the reports read instead of raw events. Ingest marks each site-day it touches as
 * dirty (db/rollup-queue.ts); `refreshRollups` recomputes every rollup of a dirty site-day from that
 * day's raw events and sessions (./registry.ts), whole, in one transaction, and deletes the marks
 * it read (a mark added meanwhile stays, and the day is recomputed again). Recomputing a day from scratch makes the job safe to re-run
 * at any time, from any number of processes, and after any crash.
 *
 * Days are local dates in the site's time zone; a session belongs to the day it started on, and
 * its late events mark that day dirty too.
 */
import { and, asc, eq, gte, inArray, lte, min, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/index.ts';
import { rollupQueue, rollupVisitorDays, rollupVitals, rollupVitalsWeeks, sites, visitorWindows } from '../db/schema.ts';
import { as, execute, insertSelect, rows, type Executor } from '../db/sql.ts';
import { localDate } from '../lib/dates.ts';
import { goalsOf } from '../sites/goals.ts';
import { lastPartialDay } from '../sites/retention.ts';
import { dayEngaged, type DayParams } from './day.ts';
import { ROLLUPS } from './registry.ts';
import { SCORE_WINDOW_DAYS, scoreWindow } from './score.ts';
import { refreshSiteWindows } from './visitor-windows.ts';

export interface RefreshOptions {
  siteId?: string;
  /** only the dirty days between these local dates (inclusive) */
  from?: string;
  to?: string;
  limit?: number;
  now?: number;
}

/**
 * Recomputes the dirty site-days (of one site, or all; of a range, or all), oldest mark first, at
 * most `limit` of them. Returns how many it recomputed.
 */
export async function refreshRollups(db: Db, options: RefreshOptions = {}): Promise<number> {
  const now = options.now ?? Date.now();
  const Q = rollupQueue;
  const dirty = await db.sql
    .select({
      siteId: Q.siteId,
      day: Q.day,
      /** the marks read: only these are cleared after the rebuild (newer ones may hold rows it did not see) */
      marks: sql<number[]>`array_agg(${Q.id})`.mapWith((ids: unknown[]) => ids.map(Number)),
      timezone: sites.timezone,
      retentionDays: sites.retentionDays,
      settings: sites.settings,
    })
    .from(Q)
    .innerJoin(sites, eq(sites.id, Q.siteId))
    .where(
      and(
        options.siteId === undefined ? undefined : eq(Q.siteId, options.siteId),
        options.from === undefined ? undefined : gte(Q.day, options.from),
        options.to === undefined ? undefined : lte(Q.day, options.to),
      ),
    )
    .groupBy(Q.siteId, Q.day, sites.timezone, sites.retentionDays, sites.settings)
    .orderBy(asc(min(Q.dirtiedAt)))
    .limit(options.limit ?? 1000);
  // visitor_windows (./visitor-windows.ts): per site, its local today, read once for the whole run
  const todays = new Map<string, string>();
  let rebuilt = 0;
  for (const d of dirty) {
    const clear = (tx: Executor) => tx.delete(Q).where(inArray(Q.id, d.marks));
    // A day whose raw events retention has begun to delete can no longer be recomputed: rebuilding
    // it would wipe its aggregates (sites/retention.ts). Its mark is dropped; its rollups stay.
    if (d.day <= lastPartialDay(d, now)) {
      await clear(db.sql);
      continue;
    }
    const today = todays.get(d.siteId) ?? localDate(now, d.timezone);
    todays.set(d.siteId, today);
    const inWindow = d.day >= scoreWindow(today).from && d.day <= today;
    const visitors = new Set<string>();
    const visitorsOf = async (tx: Executor) => {
      const seen = await tx
        .select({ visitorId: rollupVisitorDays.visitorId })
        .from(rollupVisitorDays)
        .where(and(eq(rollupVisitorDays.siteId, d.siteId), eq(rollupVisitorDays.day, d.day)));
      for (const r of seen) visitors.add(r.visitorId);
    };
    await db.sql.transaction(async (tx) => {
      if (inWindow) await visitorsOf(tx);
      await rebuildDay(tx, { siteId: d.siteId, day: d.day, timezone: d.timezone, goals: goalsOf(d.settings) });
      // The windows of the day's visitors (before and after the rebuild) commit with the day and its
      // marks: a report never reads the day's rollups beside windows of before it, and a failure
      // between the two cannot leave the windows behind for good (the marks stay, the day is redone).
      if (inWindow) {
        await visitorsOf(tx);
        await refreshSiteWindows(tx, { siteId: d.siteId, timezone: d.timezone }, today, visitors);
      }
      await clear(tx);
    });
    rebuilt++;
  }
  await moveStaleWindows(db, options.siteId, now);
  return rebuilt;
}

/**
 * A site with no traffic since its midnight has no dirty day, but its window must still move to
 * the new date (or the visitors report falls back to grouping a month of rollups per request).
 */
async function moveStaleWindows(db: Db, siteId: string | undefined, now: number) {
  const stale = await rows(
    db.sql,
    sql`select ${sites.id}, ${sites.timezone} from ${sites},
        lateral (select (${new Date(now).toISOString()}::timestamptz at time zone ${sites.timezone})::date as today) t
      where (${siteId ?? null}::text is null or ${sites.id} = ${siteId ?? null})
        and not exists (select 1 from ${visitorWindows} where ${visitorWindows.siteId} = ${sites.id} and ${visitorWindows.asOf} = t.today)
        and exists (select 1 from ${rollupVisitorDays} where ${rollupVisitorDays.siteId} = ${sites.id}
          and ${rollupVisitorDays.day} between t.today - ${SCORE_WINDOW_DAYS - 1}::int and t.today)`,
    { id: as.text, timezone: as.text },
  );
  for (const site of stale)
    await db.sql.transaction((tx) => refreshSiteWindows(tx, { siteId: site.id, timezone: site.timezone }, localDate(now, site.timezone), new Set()));
}

/** Recomputes every rollup of one site-day (./registry.ts) from its sessions' outcomes, computed once (./day.ts `dayEngaged`), then the day's week of Web Vitals. */
export async function rebuildDay(tx: Executor, p: DayParams): Promise<void> {
  for (const statement of dayEngaged(p)) await execute(tx, statement);
  for (const rollup of ROLLUPS) {
    await tx.delete(rollup.table).where(and(eq(rollup.table.siteId, p.siteId), eq(rollup.table.day, p.day)));
    await execute(tx, rollup.rebuild(p));
  }
  // Two processes rebuilding two days of one week would each merge the other's old figures (or
  // collide on the key): the week is rebuilt by one at a time, each seeing the other's commit.
  const week = sql`date_trunc('week', ${p.day}::date)::date`;
  await execute(tx, sql`select pg_advisory_xact_lock(hashtextextended('rollup_vitals_weeks ' || ${p.siteId} || ${week}, 0))`);
  await execute(tx, sql`delete from ${rollupVitalsWeeks} where ${rollupVitalsWeeks.siteId} = ${p.siteId} and ${rollupVitalsWeeks.week} = ${week}`);
  await execute(tx, weekVitals(p.siteId, week));
}

/** The week (Monday to Sunday) of a day, merged from its days in `rollup_vitals` (db/schema.ts, rollupVitalsWeeks). */
const weekVitals = (siteId: string, week: SQL) => {
  const V = rollupVitals;
  const D = alias(rollupVitals, 'days');
  return sql`with w as (select ${week} as week),
    days as (select ${V}.* from ${V}, w where ${V.siteId} = ${siteId} and ${V.day} between w.week and w.week + 6),
    pairs as (select ${D.path}, ${D.device}, ${D.metric}, u.bucket, sum(u.n)::int as n
      from days, unnest(${D.buckets}, ${D.counts}) as u(bucket, n) group by ${D.path}, ${D.device}, ${D.metric}, u.bucket),
    histograms as (select path, device, metric, array_agg(bucket order by bucket) as buckets, array_agg(n order by bucket) as counts
      from pairs group by path, device, metric)
    ${insertSelect(
      rollupVitalsWeeks,
      {
        siteId: sql`${siteId}`,
        week: sql`w.week`,
        path: sql`t.path`,
        device: sql`t.device`,
        metric: sql`t.metric`,
        samples: sql`t.samples`,
        good: sql`t.good`,
        needsImprovement: sql`t.needs_improvement`,
        poor: sql`t.poor`,
        buckets: sql`h.buckets`,
        counts: sql`h.counts`,
      },
      sql`from w, (select ${D.path}, ${D.device}, ${D.metric}, sum(${D.samples}) as samples, sum(${D.good}) as good,
             sum(${D.needsImprovement}) as needs_improvement, sum(${D.poor}) as poor from days group by ${D.path}, ${D.device}, ${D.metric}) t
        join histograms h using (path, device, metric)`,
    )}`;
};
