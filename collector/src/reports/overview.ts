/**
 * `reports/overview` (CONTRACT §4): visitors, sessions, page views, engaged sessions, bounce rate,
 * average engaged time, returning visitors, NPS, a daily series, and the previous period's figures.
 * Definitions: docs/DEFINITIONS.md, "Visitors and sessions" and "NPS". Reads the rollups only.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rollupDays, rollupVisitorDays, visitorWindows } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { scoreWindow } from '../aggregate/score.ts';
import { total } from './figures.ts';
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

export async function overviewReport(driver: Driver, range: ReportRange): Promise<Overview> {
  const prev = previousRange(range);
  const [current, previous, series] = await Promise.all([figures(driver, range), figures(driver, prev), daily(driver, range)]);
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
  const { sessions, engaged } = s!;
  return {
    visitors: v.visitors,
    sessions,
    pageviews: s!.pageviews,
    engagedSessions: engaged,
    bounceRate: sessions ? round(1 - engaged / sessions) : 0,
    avgEngagedTimeMs: sessions ? Math.round(s!.engaged_ms / sessions) : 0,
    returningVisitors: v.returning,
    nps: {
      score: v.responses ? Math.round(((v.promoters - v.detractors) / v.responses) * 100) : null,
      responses: v.responses,
      promoters: v.promoters,
      passives: v.passives,
      detractors: v.detractors,
    },
  };
}

const DAILY = query(
  sql`select ${D.day}, ${D.visitors}, ${D.sessions}, ${D.pageviews}, ${D.engagedSessions} from ${D} where ${inRange(D)}`,
  { day: as.day, visitors: as.number, sessions: as.number, pageviews: as.number, engaged_sessions: as.number },
);

async function daily(driver: Driver, r: ReportRange): Promise<OverviewDay[]> {
  const byDate = new Map((await DAILY(driver, rangeValues(r))).map((row) => [row.day, row]));
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
