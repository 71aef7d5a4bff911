/**
 * The range every report covers (CONTRACT §4): `from`, `to` as ISO dates, inclusive, in the site's
 * time zone (api/params.ts parses and checks them). The previous period is the same number of days
 * just before.
 */
import { sql, type SQL } from 'drizzle-orm';
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

/**
 * The rows of a per-day rollup that fall in a range: its site and its days from `from` to `to`, as
 * placeholders (report queries are rendered once: db/sql.ts `query`); {@link rangeValues} fills them.
 */
export const inRange = (table: { siteId: AnyPgColumn; day: AnyPgColumn }): SQL =>
  sql`${table.siteId} = ${sql.placeholder('site')} and ${table.day} between ${sql.placeholder('from')}::date and ${sql.placeholder('to')}::date`;

/** The values of {@link inRange}'s placeholders. */
export const rangeValues = (r: ReportRange) => ({ site: r.siteId, from: r.from, to: r.to });

/** A ratio rounded to 0.001, as every report shows them. */
export const round = (x: number) => Math.round(x * 1000) / 1000;
