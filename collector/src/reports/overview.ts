/**
 * `reports/overview` (CONTRACT §4): visitors, sessions, page views, engaged sessions, bounce rate,
 * average engaged time, returning visitors, NPS, a daily series, and the previous period's figures.
 * Definitions: docs/DEFINITIONS.md, "Visitors and sessions" and "NPS". Reads the rollups only.
 */
import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { rollupDays, rollupVisitorDays, visitorWindows } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { scoreWindow } from '../aggregate/score.ts';
import { count, total } from './figures.ts';
import { datesOf, inRange, previousRange, round, type ReportRange } from './range.ts';

export interface OverviewFigures {
  visitors: number;
  sessions: number;
  pageviews: number;
  engagedSessions: number;
  /** 1 − engaged sessions / sessions; 0 when there are no sessions */
  bounceRate: number;
  /** engaged time per session, seconds */
  avgEngagedSeconds: number;
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

export async function overviewReport(ex: Executor, range: ReportRange): Promise<Overview> {
  const prev = previousRange(range);
  const [current, previous, series] = await Promise.all([figures(ex, range), figures(ex, prev), daily(ex, range)]);
  return { from: range.from, to: range.to, timezone: range.timezone, ...current, series, previous: { from: prev.from, to: prev.to, ...previous } };
}

async function figures(ex: Executor, r: ReportRange): Promise<OverviewFigures> {
  const [[s], v] = await Promise.all([
    ex
      .select({
        sessions: total(rollupDays.sessions),
        pageviews: total(rollupDays.pageviews),
        engaged: total(rollupDays.engagedSessions),
        engagedMs: total(rollupDays.engagedMs),
      })
      .from(rollupDays)
      .where(inRange(rollupDays, r)),
    visitorFigures(ex, r),
  ]);
  const { sessions, engaged } = s!;
  return {
    visitors: v.visitors,
    sessions,
    pageviews: s!.pageviews,
    engagedSessions: engaged,
    bounceRate: sessions ? round(1 - engaged / sessions) : 0,
    avgEngagedSeconds: sessions ? round(s!.engagedMs / sessions / 1000) : 0,
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

async function daily(ex: Executor, r: ReportRange): Promise<OverviewDay[]> {
  const rows = await ex
    .select({
      date: rollupDays.day,
      visitors: rollupDays.visitors,
      sessions: rollupDays.sessions,
      pageviews: rollupDays.pageviews,
      engagedSessions: rollupDays.engagedSessions,
    })
    .from(rollupDays)
    .where(inRange(rollupDays, r));
  const byDate = new Map(rows.map((row) => [row.date, row]));
  return datesOf(r).map((date) => {
    const row = byDate.get(date);
    return {
      date,
      visitors: row?.visitors ?? 0,
      sessions: row?.sessions ?? 0,
      pageviews: row?.pageviews ?? 0,
      engagedSessions: row?.engagedSessions ?? 0,
    };
  });
}

/** DEFINITIONS (NPS): promoters 9–10, passives 7–8, detractors 0–6, over each visitor's latest answer. */
const npsOf = (score: SQL) => ({
  responses: count(sql`count(${score})`),
  promoters: count(sql`count(*) filter (where ${score} >= 9)`),
  passives: count(sql`count(*) filter (where ${score} between 7 and 8)`),
  detractors: count(sql`count(*) filter (where ${score} <= 6)`),
});

/**
 * Visitors, returning visitors (any session that was not their first) and NPS over each visitor's
 * latest answer in the period (DEFINITIONS). For the 30 days up to the site's today, the default
 * range, they come from `visitor_windows` (aggregate/visitor-windows.ts): one scan of a row per
 * visitor (57 ms at 10M events) instead of grouping a month of visitor-days (250 ms) and picking
 * each one's latest answer (90 ms). Other ranges group `rollup_visitor_days`.
 */
async function visitorFigures(ex: Executor, r: ReportRange) {
  if (r.from === scoreWindow(r.to).from) {
    const W = visitorWindows;
    const [w] = await ex
      .select({
        visitors: count(sql`count(*)`),
        returning: count(sql`count(*) filter (where ${W.returningSessions} > 0)`),
        ...npsOf(sql`${W.latestNps}`),
      })
      .from(W)
      .where(and(eq(W.siteId, r.siteId), eq(W.asOf, r.to)));
    // none: the job has not kept this date's window (yet), or nobody came
    if (w!.visitors > 0) return w!;
  }
  const V = rollupVisitorDays;
  // a grouping runs as an index-only scan in visitor order; count(distinct) sorts (bench/README.md)
  const perVisitor = ex
    .select({ visitorId: V.visitorId, ret: sql`max(${V.returningSessions})`.as('ret') })
    .from(V)
    .where(inRange(V, r))
    .groupBy(V.visitorId)
    .as('v');
  const latest = ex
    .selectDistinctOn([V.visitorId], { score: sql`${V.npsLast}`.as('score') })
    .from(V)
    .where(and(inRange(V, r), isNotNull(V.npsLast)))
    .orderBy(V.visitorId, sql`${V.npsLastAt} desc`)
    .as('latest');
  const [[v], [n]] = await Promise.all([
    ex.select({ visitors: count(sql`count(*)`), returning: count(sql`count(*) filter (where ${perVisitor.ret} > 0)`) }).from(perVisitor),
    ex.select(npsOf(sql`${latest.score}`)).from(latest),
  ]);
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
  avgEngagedSeconds: f.avgEngagedSeconds,
  returningVisitors: f.returningVisitors,
  npsScore: f.nps.score,
  npsResponses: f.nps.responses,
  npsPromoters: f.nps.promoters,
  npsPassives: f.nps.passives,
  npsDetractors: f.nps.detractors,
});

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  series: (r: Overview) => r.series,
  /** the range's figures and the previous period's, one row each */
  summary: (r: Overview) => [figureRow('current', r), figureRow('previous', r.previous)],
};
