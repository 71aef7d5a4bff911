/**
 * The common query of every report (CONTRACT §4): `from`, `to` as ISO dates, inclusive, in the
 * site's time zone. Defaults to the 30 days up to today. The previous period is the same number of
 * days just before.
 */
import { HTTPException } from 'hono/http-exception';
import { addDays, daysIn, localDate } from '../lib/dates.ts';

export interface ReportRange {
  siteId: string;
  timezone: string;
  /** inclusive ISO dates, in the site's time zone */
  from: string;
  to: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 3660;

export function parseRange(siteId: string, timezone: string, query: { from?: string; to?: string }, now: number): ReportRange {
  const to = query.to ?? localDate(now, timezone);
  const from = query.from ?? addDays(to, -29);
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) throw new HTTPException(400, { message: `invalid ${name}: expected YYYY-MM-DD` });
  }
  const days = daysIn({ from, to });
  if (days < 1) throw new HTTPException(400, { message: 'invalid from: after to' });
  if (days > MAX_DAYS) throw new HTTPException(400, { message: `invalid from: a range is at most ${MAX_DAYS} days` });
  return { siteId, timezone, from, to };
}


/** The same number of days, ending the day before `from`. */
export function previousRange(r: ReportRange): ReportRange {
  return { ...r, from: addDays(r.from, -daysIn(r)), to: addDays(r.from, -1) };
}

/** Every date of the range, for series without gaps. */
export function datesOf(r: ReportRange): string[] {
  return Array.from({ length: daysIn(r) }, (_, i) => addDays(r.from, i));
}
