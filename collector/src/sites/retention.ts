/**
 * The retention boundary of a site (DEFINITIONS; `sites.retention_days`, default 400): raw events
 * older than `now − retention days` are deleted by the retention job, so the local day holding that
 * instant has lost some of them. Neither it nor any day before it may be recomputed — the rollup job
 * would rebuild it from what is left, and its figures would lose the rest.
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import { markDirty, markDirtyAfter } from '../db/rollup-queue.ts';
import { events, sites } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { localDate } from '../lib/dates.ts';
import { invalid, NotFound } from '../lib/errors.ts';

const DAY_MS = 86_400_000;

/** The instant before which a site's raw events are deleted. */
export const retentionCutoff = (retentionDays: number, now: number) => now - retentionDays * DAY_MS;

/** The last local day that has lost raw events to retention: it and older days are never recomputed. */
export const lastPartialDay = (site: { timezone: string; retentionDays: number }, now: number) =>
  localDate(retentionCutoff(site.retentionDays, now), site.timezone);

/** Retention a site may choose, in days: at least a day, at most ten years. */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

/**
 * Sets how many days a site keeps what visitors and pages put in (DEFINITIONS: retention). A shorter
 * retention applies at the retention job's next run (hourly; `KIZUNA_MAINTENANCE`), and ingest
 * refuses older events at once. Returns the days stored.
 */
export async function setRetention(ex: Executor, siteId: string, days: unknown): Promise<number> {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < RETENTION_DAYS.min || days > RETENTION_DAYS.max)
    throw invalid('days', `retention is a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}`);
  const [site] = await ex.update(sites).set({ retentionDays: days }).where(eq(sites.id, siteId)).returning({ days: sites.retentionDays });
  if (!site) throw new NotFound(`unknown site: ${siteId}`);
  return site.days;
}

/**
 * Marks every local day of a site still within raw-event retention for recomputation, in the site's
 * (new) time zone: the days that have rollups (a zone change may leave one empty) and the days that
 * have events (it may move events to a day without rollups yet). Older days have lost events.
 */
export async function markRetainedDays(ex: Executor, site: { id: string; timezone: string; retentionDays: number }, now: number): Promise<void> {
  const boundary = lastPartialDay(site, now);
  await markDirtyAfter(ex, site.id, boundary);
  const days = await ex
    .selectDistinct({ day: sql<string>`(${events.ts} at time zone ${site.timezone})::date::text` })
    .from(events)
    .where(and(eq(events.siteId, site.id), gte(events.ts, new Date(retentionCutoff(site.retentionDays, now)))));
  await markDirty(ex, site.id, days.map((d) => d.day).filter((d) => d > boundary));
}
