/**
 * `reports/visitors` (CONTRACT §4): per visitor, the engagement score 0–100 and its five parts,
 * first / last seen, sessions, page views, engaged time, FAQ views, friction, first source and
 * customer id; sortable and paginated, with the total count.
 *
 * Definitions: docs/DEFINITIONS.md, "Engagement score" (aggregate/score.ts). The score is over the 30
 * days up to the report's end — the end of `to` in the site's time zone — whatever `from` is. Reads
 * `visitor_windows` when the rollup job keeps that window (aggregate/visitor-windows.ts), else
 * groups `rollup_visitor_days` by visitor over those 30 days.
 */
import { sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { visitorWindows } from '../db/schema.ts';
import { as, name, row, rows, type Executor } from '../db/sql.ts';
import { SCORE_MODEL, SUMS, SUMS_ROW, listedRows, scoreOf, scoreSql, scoreWindow, windowRows, type EngagementScore } from '../aggregate/score.ts';
import { WINDOW_COLUMNS } from '../aggregate/visitor-windows.ts';
import type { ReportRange } from './range.ts';

export const VISITOR_SORTS = ['score', 'lastSeen', 'firstSeen', 'sessions', 'pageviews', 'engagedTime'] as const;
export type VisitorSort = (typeof VISITOR_SORTS)[number];

export interface VisitorsParams {
  /** default `score` */
  sort?: VisitorSort;
  /** default `desc` */
  order?: 'asc' | 'desc';
  /** default 50, at most {@link MAX_LIMIT} (api/params.ts checks it) */
  limit?: number;
  /** default 0 */
  offset?: number;
}

export interface VisitorRow {
  visitorId: string;
  customerId: string | null;
  score: EngagementScore;
  /** ISO instants of the visitor's first and last event in the window */
  firstSeen: string;
  lastSeen: string;
  sessions: number;
  pageviews: number;
  engagedSeconds: number;
  faqViews: number;
  friction: number;
  /** channel and source of the visitor's earliest session in the window; null when every session began before it */
  firstSource: { channel: string; source: string } | null;
}

export interface VisitorsReport {
  from: string;
  to: string;
  timezone: string;
  /** the 30 days the figures and scores are over (DEFINITIONS) */
  window: { from: string; to: string };
  model: typeof SCORE_MODEL;
  sort: VisitorSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** visitors in the window, all pages */
  total: number;
  visitors: VisitorRow[];
}

export const MAX_LIMIT = 500;

/** The column each sort orders by: of `visitor_windows`, and of the score SQL's output, which has the same names. */
const SORT_COLUMNS: Record<VisitorSort, AnyPgColumn> = {
  score: visitorWindows.total,
  lastSeen: visitorWindows.lastSeen,
  firstSeen: visitorWindows.firstSeen,
  sessions: visitorWindows.sessions,
  pageviews: visitorWindows.pageviews,
  engagedTime: visitorWindows.engagedMs,
};

const VISITOR_ROW = { visitor_id: as.text, ...SUMS_ROW };

/** The report read from `visitor_windows`, when the rollup job has filled it for `to`; null otherwise. */
async function fromWindows(ex: Executor, range: ReportRange, sort: VisitorSort, order: 'asc' | 'desc', limit: number, offset: number) {
  const W = visitorWindows;
  const here = sql`${W.siteId} = ${range.siteId} and ${W.asOf} = ${range.to}::date`;
  const count = await row(ex, sql`select count(*) as n from ${W} where ${here}`, { n: as.number });
  if (!count || count.n === 0) return null;
  // the columns are not null: `nulls last` only lets a descending sort read the desc indexes
  const found = await rows(
    ex,
    sql`select ${sql.join(WINDOW_COLUMNS.map(name), sql`, `)} from ${W} where ${here}
      order by ${name(SORT_COLUMNS[sort])} ${sql.raw(order)}${sql.raw(order === 'desc' ? ' nulls last' : '')}, ${W.visitorId}
      limit ${limit} offset ${offset}`,
    VISITOR_ROW,
  );
  return { rows: found, total: count.n };
}

export interface VisitorsReportOptions {
  /** read the rollups even when `visitor_windows` has the window (tests compare the two) */
  noWindows?: boolean;
}

export async function visitorsReport(
  ex: Executor,
  range: ReportRange,
  params: VisitorsParams = {},
  options: VisitorsReportOptions = {},
): Promise<VisitorsReport> {
  const { sort = 'score', order = 'desc', limit = 50, offset = 0 } = params;
  const window = { siteId: range.siteId, ...scoreWindow(range.to) };
  const stored = options.noWindows ? null : await fromWindows(ex, range, sort, order, limit, offset);
  const [found, total] = stored ? [stored.rows, stored.total] : await Promise.all([
    rows(
      ex,
      sql`with a as (select r.visitor_id, ${SUMS} ${windowRows(window)} group by r.visitor_id)
        ${scoreSql('a', { to: window.to, timezone: range.timezone })}
        order by ${name(SORT_COLUMNS[sort])} ${sql.raw(order)}, visitor_id limit ${limit} offset ${offset}`,
      VISITOR_ROW,
    ),
    // a grouping runs as an index-only scan in visitor order; count(distinct) sorts (bench/README.md)
    row(ex, sql`select count(*) as n from (select r.visitor_id ${windowRows(window)} group by r.visitor_id) v`, { n: as.number }).then((r) => r!.n),
  ]);
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    window: { from: window.from, to: window.to },
    model: SCORE_MODEL,
    sort,
    order,
    limit,
    offset,
    total,
    visitors: found.map((r) => ({
      visitorId: r.visitor_id,
      customerId: r.customer_id,
      score: scoreOf(r),
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
      sessions: r.sessions,
      pageviews: r.pageviews,
      engagedSeconds: r.engaged_ms / 1000,
      faqViews: r.faq_views,
      friction: r.friction,
      firstSource: r.first_channel === null ? null : { channel: r.first_channel, source: r.first_source ?? '' },
    })),
  };
}

/**
 * The score of one person over the 30 days up to `to`: the given visitor ids together (a customer's
 * devices), or null when none of them was seen in the window.
 */
export async function personScore(
  ex: Executor,
  site: { siteId: string; timezone: string },
  to: string,
  visitorIds: string[],
): Promise<(EngagementScore & { model: typeof SCORE_MODEL; window: { from: string; to: string } }) | null> {
  const window = scoreWindow(to);
  const person = await row(
    ex,
    sql`with a as (select ${SUMS} ${listedRows({ siteId: site.siteId, ...window }, visitorIds)})
      ${scoreSql('a', { to: window.to, timezone: site.timezone })} where a.last_seen is not null`,
    SUMS_ROW,
  );
  return person ? { ...scoreOf(person), model: SCORE_MODEL, window } : null;
}

/** The report's table, downloadable as CSV: one flat row per visitor. */
export const tables = { visitors: (r: VisitorsReport) =>
  r.visitors.map((v) => ({
    visitorId: v.visitorId,
    customerId: v.customerId,
    score: v.score.total,
    segment: v.score.segment,
    ...v.score.parts,
    firstSeen: v.firstSeen,
    lastSeen: v.lastSeen,
    sessions: v.sessions,
    pageviews: v.pageviews,
    engagedSeconds: v.engagedSeconds,
    faqViews: v.faqViews,
    friction: v.friction,
    firstChannel: v.firstSource?.channel ?? null,
    firstSource: v.firstSource?.source ?? null,
  })),
};
