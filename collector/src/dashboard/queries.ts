/**
 * The few figures the dashboard reads that no report holds: visitors of the last five minutes,
 * NPS per day and the NPS comments of a period. Bound to the schema, rendered once, and bounded
 * (a period's comments are the latest {@link MAX_COMMENTS}).
 */
import { sql } from 'drizzle-orm';
import { events, rollupVisitorDays } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { inRange, rangeValues, type ReportRange } from '../reports/range.ts';

export const REALTIME_MS = 5 * 60_000;
export const MAX_COMMENTS = 100;

const REALTIME = query(
  sql`select count(distinct ${events.visitorId}) as visitors from ${events}
    where ${events.siteId} = ${sql.placeholder('site')} and ${events.ts} > ${sql.placeholder('since')}::timestamptz`,
  { visitors: as.number },
);

/** Distinct visitors with an event in the last {@link REALTIME_MS} (raw events: the rollups lag). */
export const realtimeVisitors = async (driver: Driver, siteId: string, now: number) =>
  (await REALTIME(driver, { site: siteId, since: new Date(now - REALTIME_MS).toISOString() }))[0]!.visitors;

const V = rollupVisitorDays;
const NPS_DAILY = query(
  sql`select ${V.day} as day, count(*) as responses, count(*) filter (where ${V.npsLast} >= 9) as promoters,
    count(*) filter (where ${V.npsLast} <= 6) as detractors
    from ${V} where ${inRange(V)} and ${V.npsLast} is not null group by ${V.day} order by ${V.day}`,
  { day: as.day, responses: as.number, promoters: as.number, detractors: as.number },
);

export interface NpsDay {
  date: string;
  responses: number;
  /** DEFINITIONS (NPS): % promoters − % detractors, over each visitor's latest answer of the day */
  nps: number;
}

/** NPS per day of the range (days without an answer left out). */
export async function npsPerDay(driver: Driver, range: ReportRange): Promise<NpsDay[]> {
  return (await NPS_DAILY(driver, rangeValues(range))).map((d) => ({
    date: d.day,
    responses: d.responses,
    nps: Math.round(((d.promoters - d.detractors) / d.responses) * 100),
  }));
}

const COMMENTS = query(
  sql`select ${events.ts} as ts, (${events.data}->>'score')::int as score, ${events.data}->>'comment' as comment, ${events.path} as path
    from ${events}
    where ${events.siteId} = ${sql.placeholder('site')} and ${events.type} = 'nps' and ${events.data}->>'comment' is not null
      and ${events.ts} >= (${sql.placeholder('from')}::date)::timestamp at time zone ${sql.placeholder('timezone')}
      and ${events.ts} < ((${sql.placeholder('to')}::date) + 1)::timestamp at time zone ${sql.placeholder('timezone')}
    order by ${events.ts} desc limit ${sql.raw(String(MAX_COMMENTS))}`,
  { ts: as.date, score: as.number, comment: as.text, path: as.text },
);

/** The latest NPS comments of the range, newest first (their text as the visitor sent it, scrubbed at ingest). */
export const npsComments = (driver: Driver, range: ReportRange) =>
  COMMENTS(driver, { ...rangeValues(range), timezone: range.timezone });
