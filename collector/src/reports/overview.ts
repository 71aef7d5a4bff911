/**
 * `reports/overview` (CONTRACT §4): visitors, sessions, page views, engaged sessions, bounce rate,
 * average engaged time, returning visitors, NPS, a daily series, and the previous period's figures.
 * Definitions: docs/DEFINITIONS.md, "Visitors and sessions" and "NPS". Reads the rollups only.
 */
import { sql } from 'drizzle-orm';
import { rollupDays, rollupVisitorDays, visitorWindows } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { scoreWindow } from '../aggregate/score.ts';
import { total } from './figures.ts';
import { filteredQuery, filteredValues, overKept, hasFilters, type Filters } from './filters.ts';
import { LATEST_NPS, NPS_COUNTS, npsCounts, npsFigures, type NpsFigures } from './nps.ts';
import { datesOf, inRange, previousRange, rangeValues, round, type ReportRange } from './range.ts';
import { table } from './table.ts';

export interface OverviewFigures {
  visitors: number;
  sessions: number;
  pageviews: number;
  engagedSessions: number;
  /** 1 − engaged sessions / sessions; 0 when there are no sessions */
  bounceRate: number;
  /** engaged time per session, ms (rounded to 1 ms) */
  avgEngagedTimeMs: number;
  returningVisitors: number;
  nps: NpsFigures;
}

export interface OverviewDay {
  date: string;
  visitors: number;
  sessions: number;
  pageviews: number;
  engagedSessions: number;
}

export interface Overview extends OverviewFigures {
  from: string;
  to: string;
  timezone: string;
  series: OverviewDay[];
  previous: OverviewFigures & { from: string; to: string };
}

/** The filters the overview takes (reports/filters.ts); none: the rollups. */
export type OverviewParams = Filters;

export async function overviewReport(driver: Driver, range: ReportRange, params: OverviewParams = {}): Promise<Overview> {
  const prev = previousRange(range);
  const [current, previous, series] = hasFilters(params)
    ? await Promise.all([filteredPeriod(driver, range, params), filteredPeriod(driver, prev, params)]).then(([[now, days], [before]]) => [now, before, days] as const)
    : await Promise.all([figures(driver, range), figures(driver, prev), daily(driver, range)]);
  return { from: range.from, to: range.to, timezone: range.timezone, ...current, series, previous: { from: prev.from, to: prev.to, ...previous } };
}

const D = rollupDays;
const SUMS = query(
  sql`select ${total(D.sessions)} as sessions, ${total(D.pageviews)} as pageviews, ${total(D.engagedSessions)} as engaged,
    ${total(D.engagedMs)} as engaged_ms from ${D} where ${inRange(D)}`,
  { sessions: as.number, pageviews: as.number, engaged: as.number, engaged_ms: as.number },
);

async function figures(driver: Driver, r: ReportRange): Promise<OverviewFigures> {
  const [[s], v] = await Promise.all([SUMS(driver, rangeValues(r)), visitorFigures(driver, r)]);
  return figuresOf(s!, v, v);
}

type Sums = { sessions: number; pageviews: number; engaged: number; engaged_ms: number };
type VisitorCounts = { visitors: number; returning: number };
type NpsCounts = Omit<NpsFigures, 'score'>;

/** The figures from their sums (DEFINITIONS: bounce rate, engaged time, NPS). */
function figuresOf(s: Sums, v: VisitorCounts, n: NpsCounts): OverviewFigures {
  const { sessions, engaged } = s;
  return {
    visitors: v.visitors,
    sessions,
    pageviews: s.pageviews,
    engagedSessions: engaged,
    bounceRate: sessions ? round(1 - engaged / sessions) : 0,
    avgEngagedTimeMs: sessions ? Math.round(s.engaged_ms / sessions) : 0,
    returningVisitors: v.returning,
    nps: npsFigures(n),
  };
}

const DAILY = query(
  sql`select ${D.day}, ${D.visitors}, ${D.sessions}, ${D.pageviews}, ${D.engagedSessions} from ${D} where ${inRange(D)}`,
  { day: as.day, visitors: as.number, sessions: as.number, pageviews: as.number, engaged_sessions: as.number },
);

async function daily(driver: Driver, r: ReportRange): Promise<OverviewDay[]> {
  return seriesOf(r, await DAILY(driver, rangeValues(r)));
}

/** Every date of the range, 0 where no row has it. */
function seriesOf(r: ReportRange, rows: { day: string; visitors: number; sessions: number; pageviews: number; engaged_sessions: number }[]): OverviewDay[] {
  const byDate = new Map(rows.map((row) => [row.day, row]));
  return datesOf(r).map((date) => {
    const row = byDate.get(date);
    return {
      date,
      visitors: row?.visitors ?? 0,
      sessions: row?.sessions ?? 0,
      pageviews: row?.pageviews ?? 0,
      engagedSessions: row?.engaged_sessions ?? 0,
    };
  });
}

const W = visitorWindows;
const V = rollupVisitorDays;

const FROM_WINDOWS = query(
  sql`select count(*) as visitors, count(*) filter (where ${W.returningSessions} > 0) as returning, ${npsCounts(sql`${W.latestNps}`)}
    from ${W} where ${W.siteId} = ${sql.placeholder('site')} and ${W.asOf} = ${sql.placeholder('to')}::date`,
  { visitors: as.number, returning: as.number, ...NPS_COUNTS },
);
// a grouping runs as an index-only scan in visitor order; count(distinct) sorts (bench/README.md)
const VISITORS = query(
  sql`select count(*) as visitors, count(*) filter (where ret > 0) as returning
    from (select ${V.visitorId}, max(${V.returningSessions}) as ret from ${V} where ${inRange(V)} group by ${V.visitorId}) v`,
  { visitors: as.number, returning: as.number },
);

/**
 * Visitors, returning visitors (any session that was not their first) and NPS over each visitor's
 * latest answer in the period (DEFINITIONS). For the 30 days up to the site's today, the default
 * range, they come from `visitor_windows` (aggregate/visitor-windows.ts): one scan of a row per
 * visitor (57 ms at 10M events) instead of grouping a month of visitor-days (250 ms) and picking
 * each one's latest answer (90 ms). Other ranges group `rollup_visitor_days`.
 */
async function visitorFigures(driver: Driver, r: ReportRange) {
  const values = rangeValues(r);
  if (r.from === scoreWindow(r.to).from) {
    const [w] = await FROM_WINDOWS(driver, values);
    // none: the job has not kept this date's window (yet), or nobody came
    if (w!.visitors > 0) return w!;
  }
  const [[v], [n]] = await Promise.all([VISITORS(driver, values), LATEST_NPS(driver, r, {})]);
  return { ...v!, ...n! };
}

/**
 * The period's sums (the row whose `day` is null) and each day's, in one pass over `engaged` (grouping
 * sets): at 1M events the sums and the days were two scans of 0.6–0.7 s each (bench/explain.ts).
 */
const FILTERED_SUMS = filteredQuery(
  sql`select day, count(*) as sessions, coalesce(sum(pageviews), 0) as pageviews, count(*) filter (where is_engaged) as engaged,
    coalesce(sum(engaged_ms), 0) as engaged_ms, count(distinct visitor_id) as visitors,
    count(distinct visitor_id) filter (where is_returning) as returning from engaged group by grouping sets ((), (day))`,
  { day: as.nullable(as.text), sessions: as.number, pageviews: as.number, engaged: as.number, engaged_ms: as.number, visitors: as.number, returning: as.number },
);
/**
 * The figures and the days of the sessions that started in the range and match the filters; NPS
 * over each of their visitors' latest answer in those sessions.
 */
async function filteredPeriod(driver: Driver, r: ReportRange, f: Filters): Promise<[OverviewFigures, OverviewDay[]]> {
  const values = filteredValues(r, f);
  const [rows, [n]] = await overKept(driver, r, f, (d) => Promise.all([FILTERED_SUMS(d, values), LATEST_NPS(d, r, f)]));
  const total = rows.find((row) => row.day === null)!;
  const days = rows.flatMap((row) => (row.day === null ? [] : [{ ...row, day: row.day, engaged_sessions: row.engaged }]));
  return [figuresOf(total, total, { ...total, ...n! }), seriesOf(r, days)];
}

/** The figures of a period, flat: one CSV row. */
const figureRow = (period: string, f: OverviewFigures & { from: string; to: string }) => ({
  period,
  from: f.from,
  to: f.to,
  visitors: f.visitors,
  sessions: f.sessions,
  pageviews: f.pageviews,
  engagedSessions: f.engagedSessions,
  bounceRate: f.bounceRate,
  avgEngagedTimeMs: f.avgEngagedTimeMs,
  returningVisitors: f.returningVisitors,
  npsScore: f.nps.score,
  npsResponses: f.nps.responses,
  npsPromoters: f.nps.promoters,
  npsPassives: f.nps.passives,
  npsDetractors: f.nps.detractors,
});

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  series: table(['date', 'visitors', 'sessions', 'pageviews', 'engagedSessions'], (r: Overview) => r.series),
  /** the range's figures and the previous period's, one row each */
  summary: table(
    ['period', 'from', 'to', 'visitors', 'sessions', 'pageviews', 'engagedSessions', 'bounceRate', 'avgEngagedTimeMs', 'returningVisitors',
      'npsScore', 'npsResponses', 'npsPromoters', 'npsPassives', 'npsDetractors'],
    (r: Overview) => [figureRow('current', r), figureRow('previous', r.previous)],
  ),
};
