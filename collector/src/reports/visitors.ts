/**
 * `reports/visitors` (CONTRACT §4): per visitor, the engagement score 0–100 and its five parts,
 * first / last seen, sessions, page views, engaged time, FAQ views, friction, first source and
 * customer id; sortable and paginated, with the total count.
 *
 * Definitions: DEFINITIONS.md, "Engagement score" (aggregate/score.ts). The score is over the 30
 * days up to the report's end — the end of `to` in the site's time zone — whatever `from` is. Reads
 * `visitor_windows` when the rollup job keeps that window (aggregate/visitor-windows.ts), else
 * groups `rollup_visitor_days` by visitor over those 30 days.
 */
import { HTTPException } from 'hono/http-exception';
import type { Db } from '../db/index.ts';
import { LISTED_ROWS, SCORE_MODEL, SUMS, WINDOW_ROWS, scoreOf, scoreSql, scoreWindow, type EngagementScore, type SumsRow } from '../aggregate/score.ts';
import { WINDOW_COLUMNS } from '../aggregate/visitor-windows.ts';
import type { ReportRange } from './range.ts';

export const VISITOR_SORTS = ['score', 'lastSeen', 'firstSeen', 'sessions', 'pageviews', 'engagedTime'] as const;
export type VisitorSort = (typeof VISITOR_SORTS)[number];

export interface VisitorsParams {
  /** default `score` */
  sort?: VisitorSort;
  /** default `desc` */
  order?: 'asc' | 'desc';
  /** default 50, at most 500 */
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

const SORT_COLUMNS: Record<VisitorSort, string> = {
  score: 'total',
  lastSeen: 'last_seen',
  firstSeen: 'first_seen',
  sessions: 'sessions',
  pageviews: 'pageviews',
  engagedTime: 'engaged_ms',
};

/** The report read from `visitor_windows`, when the rollup job has filled it for `to`; null otherwise. */
async function fromWindows(db: Db, range: ReportRange, sort: VisitorSort, order: 'asc' | 'desc', limit: number, offset: number) {
  const [count] = await db.query<{ n: string | number }>(
    `select count(*) as n from visitor_windows where site_id = $1 and as_of = $2::date`,
    [range.siteId, range.to],
  );
  if (!count || Number(count.n) === 0) return null;
  // the columns are not null: `nulls last` only lets a descending sort read the desc indexes
  const rows = await db.query<SumsRow & { visitor_id: string }>(
    `select ${WINDOW_COLUMNS} from visitor_windows where site_id = $1 and as_of = $2::date
     order by ${SORT_COLUMNS[sort]} ${order}${order === 'desc' ? ' nulls last' : ''}, visitor_id limit $3 offset $4`,
    [range.siteId, range.to, limit, offset],
  );
  return { rows, count };
}

export interface VisitorsReportOptions {
  /** read the rollups even when `visitor_windows` has the window (tests compare the two) */
  noWindows?: boolean;
}

export async function visitorsReport(
  db: Db,
  range: ReportRange,
  params: VisitorsParams = {},
  options: VisitorsReportOptions = {},
): Promise<VisitorsReport> {
  const { sort = 'score', order = 'desc', limit = 50, offset = 0 } = params;
  checkParams({ sort, order, limit, offset });
  const window = scoreWindow(range.to);
  const stored = options.noWindows ? null : await fromWindows(db, range, sort, order, limit, offset);
  const [rows, [count]] = stored ? [stored.rows, [stored.count]] : await Promise.all([
    db.query<SumsRow & { visitor_id: string }>(
      `with a as (select visitor_id, ${SUMS} ${WINDOW_ROWS} group by visitor_id)
       ${scoreSql('a')}
       order by ${SORT_COLUMNS[sort]} ${order}, visitor_id limit $5 offset $6`,
      [range.siteId, window.from, window.to, range.timezone, limit, offset],
    ),
    db.query<{ n: string | number }>(
      // a grouping runs as an index-only scan in visitor order; count(distinct) sorts (bench/README.md)
      `select count(*) as n from (select visitor_id ${WINDOW_ROWS} group by visitor_id) v`,
      [range.siteId, window.from, window.to],
    ),
  ]);
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    window,
    model: SCORE_MODEL,
    sort,
    order,
    limit,
    offset,
    total: Number(count!.n),
    visitors: rows.map((r) => ({
      visitorId: r.visitor_id,
      customerId: r.customer_id,
      score: scoreOf(r),
      firstSeen: new Date(r.first_seen).toISOString(),
      lastSeen: new Date(r.last_seen).toISOString(),
      sessions: Number(r.sessions),
      pageviews: Number(r.pageviews),
      engagedSeconds: Number(r.engaged_ms) / 1000,
      faqViews: Number(r.faq_views),
      friction: Number(r.friction),
      firstSource: r.first_channel === null ? null : { channel: r.first_channel, source: r.first_source ?? '' },
    })),
  };
}

function checkParams(p: Required<VisitorsParams>) {
  if (!VISITOR_SORTS.includes(p.sort)) throw badParam('sort', `one of ${VISITOR_SORTS.join(', ')}`);
  if (p.order !== 'asc' && p.order !== 'desc') throw badParam('order', 'asc or desc');
  if (!Number.isInteger(p.limit) || p.limit < 1 || p.limit > MAX_LIMIT) throw badParam('limit', `an integer from 1 to ${MAX_LIMIT}`);
  if (!Number.isInteger(p.offset) || p.offset < 0) throw badParam('offset', 'an integer ≥ 0');
}

const badParam = (name: string, expected: string) => new HTTPException(400, { message: `invalid ${name}: expected ${expected}` });

/** The query string of `reports/visitors` → its params (400 on a bad value, checked by {@link visitorsReport}). */
export function parseVisitorsParams(query: Record<string, string | undefined>): VisitorsParams {
  const int = (name: string) => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw badParam(name, 'an integer');
    return Number(v);
  };
  return { sort: query.sort as VisitorSort | undefined, order: query.order as 'asc' | 'desc' | undefined, limit: int('limit'), offset: int('offset') };
}

/**
 * The score of one person over the 30 days up to `to`: the given visitor ids together (a customer's
 * devices), or null when none of them was seen in the window.
 */
export async function personScore(
  db: Db,
  site: { siteId: string; timezone: string },
  to: string,
  visitorIds: string[],
): Promise<(EngagementScore & { model: typeof SCORE_MODEL; window: { from: string; to: string } }) | null> {
  const window = scoreWindow(to);
  const [row] = await db.query<SumsRow>(
    `with a as (select ${SUMS} ${LISTED_ROWS})
     ${scoreSql('a')} where a.last_seen is not null`,
    [site.siteId, window.from, window.to, site.timezone, JSON.stringify(visitorIds)],
  );
  return row ? { ...scoreOf(row), model: SCORE_MODEL, window } : null;
}

/** Flat rows for the CSV of `reports/visitors`. */
export const csvRows = (r: VisitorsReport) =>
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
  }));
