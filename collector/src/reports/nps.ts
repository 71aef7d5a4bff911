/**
 * `reports/nps` (CONTRACT §4, additions of issue #16): the Net Promoter Score of the range, its
 * promoters, passives and detractors, a daily trend, and the latest comments.
 * Definitions: docs/DEFINITIONS.md, "NPS" — % promoters (9–10) − % detractors (0–6), over each
 * visitor's latest answer in the period; a day of the trend is its own period.
 *
 * Scores come from `rollup_visitor_days` (each visitor-day's latest answer). Comments are kept by no
 * rollup: they are read from the raw events of the visitor-days that answered (a few rows of that
 * rollup, then the `events_visitor` index), so the query never scans the range's events. They were
 * scrubbed at ingest (DEFINITIONS "Privacy: what is scrubbed") and are kept as long as raw events.
 */
import { sql, type SQL } from 'drizzle-orm';
import { events, rollupVisitorDays } from '../db/schema.ts';
import { day } from '../aggregate/day.ts';
import { NPS_ANSWERS, type Grouping } from '../aggregate/registry.ts';
import { as, type Driver } from '../db/sql.ts';
import { overKept, rollupsOrFiltered, type Filters } from './filters.ts';
import { datesOf, inRange, type ReportRange } from './range.ts';
import { table } from './table.ts';

/** the comments a report lists at most, newest first */
export const MAX_COMMENTS = 50;

export interface NpsFigures {
  /** −100 to 100; null when nobody answered */
  score: number | null;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsDay extends NpsFigures {
  date: string;
}

export interface NpsComment {
  /** the local day of the answer, in the site's time zone */
  date: string;
  /** when it was answered, ISO 8601 UTC */
  at: string;
  score: number;
  comment: string;
  /** the page it was answered on (grouped: DEFINITIONS page grouping) */
  path: string;
}

export interface NpsReport extends NpsFigures {
  from: string;
  to: string;
  timezone: string;
  series: NpsDay[];
  comments: NpsComment[];
}

/** DEFINITIONS (NPS): promoters 9–10, passives 7–8, detractors 0–6, counted over `score` (one answer per visitor). */
export const npsCounts = (score: SQL) => sql`count(${score}) as responses, count(*) filter (where ${score} >= 9) as promoters,
  count(*) filter (where ${score} between 7 and 8) as passives, count(*) filter (where ${score} <= 6) as detractors`;
export const NPS_COUNTS = { responses: as.number, promoters: as.number, passives: as.number, detractors: as.number };

/** The score from the counts: % promoters − % detractors, rounded to a whole number. */
export const npsFigures = (c: Omit<NpsFigures, 'score'>): NpsFigures => ({
  score: c.responses ? Math.round(((c.promoters - c.detractors) / c.responses) * 100) : null,
  responses: c.responses,
  promoters: c.promoters,
  passives: c.passives,
  detractors: c.detractors,
});

const V = rollupVisitorDays;
const E = events;
const DE = day.events;

/**
 * With filters, what this report reads of the visitor-days: their NPS columns over the answers given
 * in the kept sessions (reports/filters.ts), the same aggregates as the rollup job's (NPS_ANSWERS).
 */
const ANSWERS: Grouping<typeof rollupVisitorDays> = {
  table: V,
  columns: { visitorId: sql`${DE.visitorId}`, firstSeen: sql`min(${DE.ts})`, lastSeen: sql`max(${DE.ts})`, ...NPS_ANSWERS },
  from: sql`from day_events where ${DE.type} = 'nps'`,
  groupBy: [sql`${DE.visitorId}`],
  day: sql`day_events.day`,
};

/** Each visitor's latest answer in the range, counted (the overview's NPS too). */
export const LATEST_NPS = rollupsOrFiltered(
  sql`select ${npsCounts(sql`score`)} from (select distinct on (${V.visitorId}) ${V.npsLast} as score from ${V}
    where ${inRange(V)} and ${V.npsLast} is not null order by ${V.visitorId}, ${V.npsLastAt} desc) latest`,
  NPS_COUNTS,
  ANSWERS,
);

/** Per day: each visitor's latest answer of that day (a visitor-day row holds it). */
const DAILY = rollupsOrFiltered(
  sql`select ${V.day}, ${npsCounts(sql`${V.npsLast}`)} from ${V}
    where ${inRange(V)} and ${V.npsLast} is not null group by ${V.day}`,
  { day: as.day, ...NPS_COUNTS },
  ANSWERS,
);

/** The range's comments, newest first: the answering visitor-days, then each one's answers between its first and last event. */
const COMMENTS = rollupsOrFiltered(
  sql`select ${V.day}, ${E.ts}, ${E.path}, (${E.data}->>'score')::int as score, ${E.data}->>'comment' as comment
    from ${V} join ${E} on ${E.siteId} = ${V.siteId} and ${E.visitorId} = ${V.visitorId}
      and ${E.ts} between ${V.firstSeen} and ${V.lastSeen}
    where ${inRange(V)} and ${V.npsAnswers} > 0 and ${E.type} = 'nps' and btrim(coalesce(${E.data}->>'comment', '')) <> ''
    order by ${E.ts} desc, ${E.id} limit ${MAX_COMMENTS}`,
  { day: as.day, ts: as.date, path: as.text, score: as.number, comment: as.text },
  ANSWERS,
);

export async function npsReport(driver: Driver, range: ReportRange, filters: Filters = {}): Promise<NpsReport> {
  const [[latest], daily, comments] = await overKept(driver, range, filters, (d) =>
    Promise.all([LATEST_NPS(d, range, filters), DAILY(d, range, filters), COMMENTS(d, range, filters)]),
  );
  const byDate = new Map(daily.map((d) => [d.day, d]));
  const none = { responses: 0, promoters: 0, passives: 0, detractors: 0 };
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    ...npsFigures(latest!),
    series: datesOf(range).map((date) => ({ date, ...npsFigures(byDate.get(date) ?? none) })),
    comments: comments.map((c) => ({ date: c.day, at: c.ts.toISOString(), score: c.score, comment: c.comment, path: c.path })),
  };
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  series: table(['date', 'score', 'responses', 'promoters', 'passives', 'detractors'], (r: NpsReport) => r.series),
  comments: table(['date', 'at', 'score', 'comment', 'path'], (r: NpsReport) => r.comments),
};
