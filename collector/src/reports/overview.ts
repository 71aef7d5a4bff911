/**
 * `reports/overview` (CONTRACT §4): visitors, sessions, page views, engaged sessions, bounce rate,
 * average engaged time, returning visitors, NPS, a daily series, and the previous period's figures.
 * Definitions: DEFINITIONS.md, "Visitors and sessions" and "NPS". Reads the rollups only.
 */
import type { Db } from '../db/index.ts';
import { scoreWindow } from '../aggregate/score.ts';
import { datesOf, previousRange, type ReportRange } from './range.ts';

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

export async function overviewReport(db: Db, range: ReportRange): Promise<Overview> {
  const prev = previousRange(range);
  const [current, previous, series] = await Promise.all([figures(db, range), figures(db, prev), daily(db, range)]);
  return { from: range.from, to: range.to, timezone: range.timezone, ...current, series, previous: { from: prev.from, to: prev.to, ...previous } };
}

const inRange = `site_id = $1 and day between $2::date and $3::date`;

async function figures(db: Db, r: ReportRange): Promise<OverviewFigures> {
  const params = [r.siteId, r.from, r.to];
  const [[s], v] = await Promise.all([
    db.query<Record<string, string | number>>(
      `select coalesce(sum(sessions), 0) as sessions, coalesce(sum(pageviews), 0) as pageviews,
         coalesce(sum(engaged_sessions), 0) as engaged, coalesce(sum(engaged_ms), 0) as engaged_ms
       from rollup_days where ${inRange}`,
      params,
    ),
    visitorFigures(db, r),
  ]);
  const sessions = Number(s!.sessions);
  const engaged = Number(s!.engaged);
  const responses = Number(v.responses);
  const [promoters, passives, detractors] = [Number(v.promoters), Number(v.passives), Number(v.detractors)];
  return {
    visitors: Number(v.visitors),
    sessions,
    pageviews: Number(s!.pageviews),
    engagedSessions: engaged,
    bounceRate: sessions ? round(1 - engaged / sessions) : 0,
    avgEngagedSeconds: sessions ? round(Number(s!.engaged_ms) / sessions / 1000) : 0,
    returningVisitors: Number(v.returning),
    nps: {
      score: responses ? Math.round(((promoters - detractors) / responses) * 100) : null,
      responses,
      promoters,
      passives,
      detractors,
    },
  };
}

async function daily(db: Db, r: ReportRange): Promise<OverviewDay[]> {
  const rows = await db.query<{ date: string; visitors: number; sessions: number; pageviews: number; engaged: number }>(
    `select to_char(day, 'YYYY-MM-DD') as date, visitors, sessions, pageviews, engaged_sessions as engaged
     from rollup_days where ${inRange}`,
    [r.siteId, r.from, r.to],
  );
  const byDate = new Map(rows.map((row) => [row.date, row]));
  return datesOf(r).map((date) => {
    const row = byDate.get(date);
    return {
      date,
      visitors: Number(row?.visitors ?? 0),
      sessions: Number(row?.sessions ?? 0),
      pageviews: Number(row?.pageviews ?? 0),
      engagedSessions: Number(row?.engaged ?? 0),
    };
  });
}

export const round = (x: number) => Math.round(x * 1000) / 1000;

/** The CSV of the overview: its daily series. */
export const csvRows = (r: Overview) => r.series;

type VisitorFigures = Record<'visitors' | 'returning' | 'responses' | 'promoters' | 'passives' | 'detractors', string | number>;

/**
 * Visitors, returning visitors (any session that was not their first) and NPS over each visitor's
 * latest answer in the period (DEFINITIONS). For the 30 days up to the site's today, the default
 * range, they come from `visitor_windows` (aggregate/visitor-windows.ts): one scan of a row per
 * visitor (57 ms at 10M events) instead of grouping a month of visitor-days (250 ms) and picking
 * each one's latest answer (90 ms). Other ranges group `rollup_visitor_days`.
 */
async function visitorFigures(db: Db, r: ReportRange): Promise<VisitorFigures> {
  const nps = (score: string) => `count(${score}) as responses, count(*) filter (where ${score} >= 9) as promoters,
    count(*) filter (where ${score} between 7 and 8) as passives, count(*) filter (where ${score} <= 6) as detractors`;
  if (r.from === scoreWindow(r.to).from) {
    const [w] = await db.query<VisitorFigures>(
      `select count(*) as visitors, count(*) filter (where returning_sessions > 0) as returning, ${nps('latest_nps')}
       from visitor_windows where site_id = $1 and as_of = $2::date`,
      [r.siteId, r.to],
    );
    // none: the job has not kept this date's window (yet), or nobody came
    if (Number(w!.visitors) > 0) return w!;
  }
  const params = [r.siteId, r.from, r.to];
  const [[v], [n]] = await Promise.all([
    // a grouping runs as an index-only scan in visitor order; count(distinct) sorts (bench/README.md)
    db.query<Record<string, string | number>>(
      `select count(*) as visitors, count(*) filter (where ret > 0) as returning
       from (select visitor_id, max(returning_sessions) as ret from rollup_visitor_days where ${inRange}
             group by visitor_id) v`,
      params,
    ),
    db.query<Record<string, string | number>>(
      `select ${nps('score')} from (select distinct on (visitor_id) nps_last as score from rollup_visitor_days
         where ${inRange} and nps_last is not null order by visitor_id, nps_last_at desc) latest`,
      params,
    ),
  ]);
  return { ...v!, ...n! } as VisitorFigures;
}
