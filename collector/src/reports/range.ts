/**
 * The range every report covers (CONTRACT §4): `from`, `to` as ISO dates, inclusive, in the site's
 * time zone (api/params.ts parses and checks them). The previous period is the same number of days
 * just before.
 */
import { and, between, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { addDays, daysIn } from '../lib/dates.ts';

export interface ReportRange {
  siteId: string;
  timezone: string;
  /** inclusive ISO dates, in the site's time zone */
  from: string;
  to: string;
}

/** The same number of days, ending the day before `from`. */
export function previousRange(r: ReportRange): ReportRange {
  return { ...r, from: addDays(r.from, -daysIn(r)), to: addDays(r.from, -1) };
}

/** Every date of the range, for series without gaps. */
export function datesOf(r: ReportRange): string[] {
  return Array.from({ length: daysIn(r) }, (_, i) => addDays(r.from, i));
}

/** The rows of a per-day rollup that fall in the range: its site, and its days from `from` to `to`. */
export const inRange = (table: { siteId: AnyPgColumn; day: AnyPgColumn }, r: ReportRange): SQL =>
  and(eq(table.siteId, r.siteId), between(table.day, r.from, r.to))!;

/** A ratio rounded to 0.001, as every report shows them. */
export const round = (x: number) => Math.round(x * 1000) / 1000;
