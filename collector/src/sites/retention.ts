/**
 * The retention boundary of a site (DEFINITIONS; `sites.retention_days`, default 400): raw events
 * older than `now − retention days` are deleted by the retention job, so the local day holding that
 * instant has lost some of them. Neither it nor any day before it may be recomputed — the rollup job
 * would rebuild it from what is left, and its figures would lose the rest.
 */
import { localDate } from '../lib/dates.ts';

const DAY_MS = 86_400_000;

/** The instant before which a site's raw events are deleted. */
export const retentionCutoff = (retentionDays: number, now: number) => now - retentionDays * DAY_MS;

/** The last local day that has lost raw events to retention: it and older days are never recomputed. */
export const lastPartialDay = (site: { timezone: string; retentionDays: number }, now: number) =>
  localDate(retentionCutoff(site.retentionDays, now), site.timezone);
