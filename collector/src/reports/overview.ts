/**
 * `reports/overview` (CONTRACT §4): visitors, sessions, page views, engaged sessions, bounce rate,
 * average engaged time, returning visitors, NPS, a daily series, and the previous period's figures.
 * Definitions: docs/DEFINITIONS.md, "Visitors and sessions" and "NPS". Reads the rollups only.
 */
import { sql, type SQL } from 'drizzle-orm';
import { events, rollupDays, rollupVisitorDays, sessions, visitorWindows } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { scoreWindow } from '../aggregate/score.ts';
import { total } from './figures.ts';
import { filteredSessions, filterValues, hasFilters, localDay, siteGoals, type Filters } from './filters.ts';
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
  nps: { score: number | null; responses: number; promoters: number; passives: number; detractors: number };
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
  const [current, previous, series] = await Promise.all(
    hasFilters(params)
      ? [filteredFigures(driver, range, params), filteredFigures(driver, prev, params), filteredDaily(driver, range, params)]
      : [figures(driver, range), figures(driver, prev), daily(driver, range)],
  );
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
type NpsCounts = { responses: number; promoters: number; passives: number; detractors: number };

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
    nps: {
      score: n.responses ? Math.round(((n.promoters - n.detractors) / n.responses) * 100) : null,
      responses: n.responses,
      promoters: n.promoters,
      passives: n.passives,
      detractors: n.detractors,
    },
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

/** DEFINITIONS (NPS): promoters 9–10, passives 7–8, detractors 0–6, over each visitor's latest answer. */
const npsOf = (score: SQL) => sql`count(${score}) as responses, count(*) filter (where ${score} >= 9) as promoters,
  count(*) filter (where ${score} between 7 and 8) as passives, count(*) filter (where ${score} <= 6) as detractors`;
const NPS = { responses: as.number, promoters: as.number, passives: as.number, detractors: as.number };
const W = visitorWindows;
const V = rollupVisitorDays;

const FROM_WINDOWS = query(
  sql`select count(*) as visitors, count(*) filter (where ${W.returningSessions} > 0) as returning, ${npsOf(sql`${W.latestNps}`)}
    from ${W} where ${W.siteId} = ${sql.placeholder('site')} and ${W.asOf} = ${sql.placeholder('to')}::date`,
  { visitors: as.number, returning: as.number, ...NPS },
);
// a grouping runs as an index-only scan in visitor order; count(distinct) sorts (bench/README.md)
const VISITORS = query(
  sql`select count(*) as visitors, count(*) filter (where ret > 0) as returning
    from (select ${V.visitorId}, max(${V.returningSessions}) as ret from ${V} where ${inRange(V)} group by ${V.visitorId}) v`,
  { visitors: as.number, returning: as.number },
);
const LATEST_NPS = query(
  sql`select ${npsOf(sql`score`)} from (select distinct on (${V.visitorId}) ${V.npsLast} as score from ${V}
    where ${inRange(V)} and ${V.npsLast} is not null order by ${V.visitorId}, ${V.npsLastAt} desc) latest`,
  NPS,
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
  const [[v], [n]] = await Promise.all([VISITORS(driver, values), LATEST_NPS(driver, values)]);
  return { ...v!, ...n! };
}

const S = sessions;
const E = events;
const goalEvent = sql`((${E.type} = 'custom' and ${E.data}->>'name' in (select jsonb_array_elements_text(${siteGoals})))
  or (${E.type} = 'pageview' and ${E.path} in (select jsonb_array_elements_text(${siteGoals}))))`;
/**
 * The filtered sessions of the range (reports/filters.ts) with their local day and whether each is
 * engaged (DEFINITIONS: ≥ 10 s engaged, or ≥ 2 page views, or a goal conversion), as `fs`.
 */
const FILTERED = sql`fs as (
  select ${S.id}, ${S.visitorId}, ${S.pageviews}, ${S.engagedMs}, ${S.isReturning}, ${localDay} as day,
    (${S.engagedMs} >= 10000 or ${S.pageviews} >= 2
      or exists (select 1 from ${E} where ${E.siteId} = ${S.siteId} and ${E.sessionId} = ${S.id} and ${goalEvent})) as engaged
  from ${S} where ${filteredSessions()})`;
const FILTERED_SUMS = query(
  sql`with ${FILTERED} select count(*) as sessions, coalesce(sum(pageviews), 0) as pageviews, count(*) filter (where engaged) as engaged,
    coalesce(sum(engaged_ms), 0) as engaged_ms, count(distinct visitor_id) as visitors,
    count(distinct visitor_id) filter (where is_returning) as returning from fs`,
  { sessions: as.number, pageviews: as.number, engaged: as.number, engaged_ms: as.number, visitors: as.number, returning: as.number },
);
const FILTERED_NPS = query(
  sql`with ${FILTERED} select ${npsOf(sql`score`)} from (select distinct on (${E.visitorId}) (${E.data}->>'score')::int as score
    from ${E} join fs on fs.id = ${E.sessionId} where ${E.siteId} = ${sql.placeholder('site')} and ${E.type} = 'nps'
    order by ${E.visitorId}, ${E.ts} desc) latest`,
  NPS,
);
const FILTERED_DAILY = query(
  sql`with ${FILTERED} select day, count(distinct visitor_id) as visitors, count(*) as sessions, coalesce(sum(pageviews), 0) as pageviews,
    count(*) filter (where engaged) as engaged_sessions from fs group by day`,
  { day: as.text, visitors: as.number, sessions: as.number, pageviews: as.number, engaged_sessions: as.number },
);
const filteredValues = (r: ReportRange, f: Filters) => ({ ...rangeValues(r), timezone: r.timezone, ...filterValues(f) });

/**
 * The figures of the sessions that started in the range and match the filters; NPS over each of
 * their visitors' latest answer in those sessions.
 */
async function filteredFigures(driver: Driver, r: ReportRange, f: Filters): Promise<OverviewFigures> {
  const values = filteredValues(r, f);
  const [[s], [n]] = await Promise.all([FILTERED_SUMS(driver, values), FILTERED_NPS(driver, values)]);
  return figuresOf(s!, s!, { ...s!, ...n! });
}

async function filteredDaily(driver: Driver, r: ReportRange, f: Filters): Promise<OverviewDay[]> {
  return seriesOf(r, await FILTERED_DAILY(driver, filteredValues(r, f)));
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
