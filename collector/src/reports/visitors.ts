/**
 * `reports/visitors` (CONTRACT §4): per visitor, the engagement score 0–100 and its five parts,
 * first / last seen, sessions, page views, engaged time, FAQ views, friction, first source and
 * customer id; sortable and paginated, with the total count.
 *
 * Definitions: docs/DEFINITIONS.md, "Engagement score" (aggregate/score.ts). The score is over the 30
 * days up to the report's end — the end of `to` in the site's time zone — whatever `from` is. Reads
 * `visitor_windows` when the rollup job keeps that window (aggregate/visitor-windows.ts), else
 * groups `rollup_visitor_days` by visitor over those 30 days. With filters (reports/filters.ts), the
 * visitors with a session of the window that matches them.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { sessions, visitorWindows } from '../db/schema.ts';
import { as, name, perVariant, query, type Driver } from '../db/sql.ts';
import { SCORE_MODEL, SCORE_PARTS, SUMS, SUMS_ROW, listedRows, scoreOf, scoreSql, scoreWindow, windowRows, type EngagementScore } from '../aggregate/score.ts';
import { WINDOW_COLUMNS } from '../aggregate/visitor-windows.ts';
import { filteredSessions, filterValues, hasFilters, type Filters } from './filters.ts';
import type { ReportRange } from './range.ts';
import { table } from './table.ts';

export const VISITOR_SORTS = ['score', 'lastSeen', 'firstSeen', 'sessions', 'pageviews', 'engagedTimeMs'] as const;
export type VisitorSort = (typeof VISITOR_SORTS)[number];

export interface VisitorsParams extends Filters {
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
  engagedTimeMs: number;
  faqViews: number;
  /** friction events (usability's `friction` is the list of kinds) */
  frictionEvents: number;
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
  /** this page of them (`visitors` is a count in every other report) */
  visitorList: VisitorRow[];
}

export const MAX_LIMIT = 500;

/** The column each sort orders by: of `visitor_windows`, and of the score SQL's output, which has the same names. */
const SORT_COLUMNS: Record<VisitorSort, AnyPgColumn> = {
  score: visitorWindows.total,
  lastSeen: visitorWindows.lastSeen,
  firstSeen: visitorWindows.firstSeen,
  sessions: visitorWindows.sessions,
  pageviews: visitorWindows.pageviews,
  engagedTimeMs: visitorWindows.engagedMs,
};

const VISITOR_ROW = { visitor_id: as.text, ...SUMS_ROW };
const W = visitorWindows;
const p = (name: string) => sql.placeholder(name);
/** The report's window, as placeholders: `site`, `from`, `to` (the 30 days up to the report's end), `timezone`. */
const WINDOW = { siteId: p('site'), from: p('from'), to: p('to') };

/**
 * With filters, the visitors with at least one session started in the window that matches them (the
 * window's placeholders are the range's of reports/filters.ts). Their figures stay those of all their
 * sessions of the window: the score is a visitor's, not a session's.
 */
const MATCHING = sql`(select ${sessions.visitorId} from ${sessions} where ${filteredSessions()})`;
/** The visitors of the window kept: every one, or (`filtered`) those {@link MATCHING}. */
const kept = (filtered: boolean, visitor: SQL) => (filtered ? sql` and ${visitor} in ${MATCHING}` : sql``);

/** Whether the rollup job keeps the window (any visitor of it: the filters do not say). */
const WINDOWS_COUNT = query(sql`select count(*) as n from ${W} where ${W.siteId} = ${p('site')} and ${W.asOf} = ${p('to')}::date`, { n: as.number });

/** The visitors counted, from the windows or from the rollups, kept by the filters or not. */
const countQuery = perVariant((fromWindows: boolean, filtered: boolean) =>
  query(
    fromWindows
      ? sql`select count(*) as n from ${W} where ${W.siteId} = ${p('site')} and ${W.asOf} = ${p('to')}::date${kept(filtered, sql`${W.visitorId}`)}`
      : sql`select count(*) as n from (select r.visitor_id ${windowRows(WINDOW)}${kept(filtered, sql`r.visitor_id`)} group by r.visitor_id) v`,
    { n: as.number },
  ),
);

/** The page of visitors in one order, rendered once per sort, direction and source (windows or rollups, filtered or not). */
const pageQuery = perVariant((fromWindows: boolean, filtered: boolean, sort: VisitorSort, order: 'asc' | 'desc') => {
  const by = sql`${name(SORT_COLUMNS[sort])} ${sql.raw(order)}`;
  return query(
    fromWindows
      ? // the columns are not null: `nulls last` only lets a descending sort read the desc indexes
        sql`select ${sql.join(WINDOW_COLUMNS.map(name), sql`, `)} from ${W} where ${W.siteId} = ${p('site')} and ${W.asOf} = ${p('to')}::date${kept(filtered, sql`${W.visitorId}`)}
          order by ${by}${sql.raw(order === 'desc' ? ' nulls last' : '')}, ${W.visitorId} limit ${p('limit')} offset ${p('offset')}`
      : sql`with a as (select r.visitor_id, ${SUMS} ${windowRows(WINDOW)}${kept(filtered, sql`r.visitor_id`)} group by r.visitor_id)
          ${scoreSql('a', { to: p('to'), timezone: p('timezone') })}
          order by ${by}, visitor_id limit ${p('limit')} offset ${p('offset')}`,
    VISITOR_ROW,
  );
});

export interface VisitorsReportOptions {
  /** read the rollups even when `visitor_windows` has the window (tests compare the two) */
  noWindows?: boolean;
}

export async function visitorsReport(
  driver: Driver,
  range: ReportRange,
  params: VisitorsParams = {},
  options: VisitorsReportOptions = {},
): Promise<VisitorsReport> {
  const { sort = 'score', order = 'desc', limit = 50, offset = 0 } = params;
  const window = scoreWindow(range.to);
  const filtered = hasFilters(params);
  const values = { site: range.siteId, ...window, timezone: range.timezone, limit, offset, ...(filtered ? filterValues(params) : {}) };
  const [stored] = options.noWindows ? [] : await WINDOWS_COUNT(driver, values);
  const fromWindows = stored !== undefined && stored.n > 0;
  const [found, [count]] = await Promise.all([
    pageQuery(fromWindows, filtered, sort, order)(driver, values),
    fromWindows && !filtered ? [stored] : countQuery(fromWindows, filtered)(driver, values),
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
    total: count!.n,
    visitorList: found.map((r) => ({
      visitorId: r.visitor_id,
      customerId: r.customer_id,
      score: scoreOf(r),
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
      sessions: r.sessions,
      pageviews: r.pageviews,
      engagedTimeMs: r.engaged_ms,
      faqViews: r.faq_views,
      frictionEvents: r.friction,
      firstSource: r.first_channel === null ? null : { channel: r.first_channel, source: r.first_source ?? '' },
    })),
  };
}

const PERSON = query(
  sql`with a as (select ${SUMS} ${listedRows(WINDOW, p('ids'))})
    ${scoreSql('a', { to: p('to'), timezone: p('timezone') })} where a.last_seen is not null`,
  SUMS_ROW,
);

/**
 * The score of one person over the 30 days up to `to`: the given visitor ids together (a customer's
 * devices), or null when none of them was seen in the window.
 */
export async function personScore(
  driver: Driver,
  site: { siteId: string; timezone: string },
  to: string,
  visitorIds: string[],
): Promise<(EngagementScore & { model: typeof SCORE_MODEL; window: { from: string; to: string } }) | null> {
  const window = scoreWindow(to);
  const [person] = await PERSON(driver, { site: site.siteId, ...window, timezone: site.timezone, ids: JSON.stringify(visitorIds) });
  return person ? { ...scoreOf(person), model: SCORE_MODEL, window } : null;
}

/** The report's table, downloadable as CSV: one flat row per visitor. */
export const tables = { visitors: table(
  ['visitorId', 'customerId', 'score', 'segment', ...SCORE_PARTS, 'firstSeen', 'lastSeen', 'sessions', 'pageviews', 'engagedTimeMs', 'faqViews',
    'frictionEvents', 'firstChannel', 'firstSource'],
  (r: VisitorsReport) => r.visitorList.map((v) => ({
    visitorId: v.visitorId,
    customerId: v.customerId,
    score: v.score.total,
    segment: v.score.segment,
    ...v.score.parts,
    firstSeen: v.firstSeen,
    lastSeen: v.lastSeen,
    sessions: v.sessions,
    pageviews: v.pageviews,
    engagedTimeMs: v.engagedTimeMs,
    faqViews: v.faqViews,
    frictionEvents: v.frictionEvents,
    firstChannel: v.firstSource?.channel ?? null,
    firstSource: v.firstSource?.source ?? null,
  })),
) };
