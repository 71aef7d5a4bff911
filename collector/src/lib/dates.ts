/**
 * Local dates: every day the collector keys by (rollups, report ranges, score windows) is an ISO
 * date `YYYY-MM-DD` in the site's time zone.
 */

const DAY = 86_400_000;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** YYYY-MM-DD of an instant in a time zone (en-CA formats that way; one formatter per zone, kept). */
export function localDate(t: number, timezone: string): string {
  let f = dateFormats.get(timezone);
  if (!f) dateFormats.set(timezone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone })));
  return f.format(t);
}

/** The ISO date `n` days after `date` (before, when negative). */
export const addDays = (date: string, n: number) => new Date(Date.parse(date) + n * DAY).toISOString().slice(0, 10);

/** Days from `from` to `to`, both counted. */
export const daysIn = (r: { from: string; to: string }) => Math.round((Date.parse(r.to) - Date.parse(r.from)) / DAY) + 1;
