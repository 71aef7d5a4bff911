/**
 * `reports/visitors` (CONTRACT §4): per visitor, the engagement score 0–100 and its five parts,
 * first / last seen, sessions, page views, engaged time, FAQ views, friction, first source and
 * customer id; sortable and paginated, with the total count.
 *
 * Definitions: DEFINITIONS.md, "Engagement score". The score is over the 30 days up to the report's
 * end — the end of `to` in the site's time zone — whatever `from` is. Reads `rollup_visitor_days`
 * only, grouped by visitor over those 30 days.
 *
 * The score is computed twice, on purpose: in SQL, only to sort a whole window of visitors by it
 * (a site may have a million of them: they cannot all come to JavaScript), and by
 * {@link engagementScore} for the rows of the page, which the response shows. Both do the same
 * float8 operations in the same order, so they agree to the bit; the tests pin that.
 */
import { HTTPException } from 'hono/http-exception';
import type { Db, Query } from '../db/index.ts';
import { addDays, type ReportRange } from './range.ts';

/** The version of the score model: a report says which version computed it (DEFINITIONS). */
export const SCORE_MODEL = 'v1';
/** DEFINITIONS: the score is over the 30 days up to the report's end. */
export const SCORE_WINDOW_DAYS = 30;

/** What the score is computed from: one visitor's figures over the window. */
export interface ScoreInput {
  /** days from the visitor's last event to the report's end (fractional) */
  daysSinceLastSeen: number;
  sessions: number;
  pageviews: number;
  engagedMs: number;
  /**
   * custom events that are not goal conversions: a goal conversion scores 10 as a conversion and
   * is not also scored 4 as a custom event (no double count)
   */
  customEvents: number;
  goalConversions: number;
  faqVotes: number;
  npsAnswers: number;
  searches: number;
  shares: number;
  /** the visitor's latest NPS answer in the window (0–10), null when none */
  latestNps: number | null;
}

/** The five parts, 0–20 each, rounded to 0.1. */
export interface ScoreParts {
  recency: number;
  frequency: number;
  depth: number;
  interaction: number;
  advocacy: number;
}

export type Segment = 'champion' | 'engaged' | 'casual' | 'dormant';

export interface EngagementScore {
  /** the sum of the rounded parts, 0–100, rounded to 0.1: what is shown adds up */
  total: number;
  parts: ScoreParts;
  /** from the rounded total: champion ≥ 70, engaged ≥ 40, casual ≥ 15, dormant below */
  segment: Segment;
}

/** Rounds to 0.1, half up, as `floor(x * 10 + 0.5) / 10` does in SQL (PostgreSQL's round(float8) rounds half to even). */
const tenth = (x: number) => Math.floor(x * 10 + 0.5) / 10;

/**
 * DEFINITIONS "Engagement score", model v1:
 * - recency: 20 when last seen within a day of the end, falling linearly to 0 at 30 days;
 * - frequency: 2 per session, at most 20;
 * - depth: engaged time (30 min = 10, linear, at most 10) plus page views (20 = 10, at most 10);
 * - interaction: 4 per custom event (goals excluded), FAQ vote, NPS answer or search, 10 per goal
 *   conversion, at most 20;
 * - advocacy: 10 per share, 10 when the latest NPS answer is a promoter (9–10), at most 20; 0 when
 *   the latest answer is a detractor (0–6).
 * Keep {@link scoreSql} in step with every change here.
 */
export function engagementScore(i: ScoreInput): EngagementScore {
  const parts: ScoreParts = {
    recency: tenth(Math.max(0, Math.min(20, (20 * (30 - i.daysSinceLastSeen)) / 29))),
    frequency: Math.min(20, 2 * i.sessions),
    depth: tenth(Math.min(10, (i.engagedMs * 10) / 1_800_000) + Math.min(10, (i.pageviews * 10) / 20)),
    interaction: Math.min(20, 4 * (i.customEvents + i.faqVotes + i.npsAnswers + i.searches) + 10 * i.goalConversions),
    advocacy:
      i.latestNps !== null && i.latestNps <= 6 ? 0 : Math.min(20, 10 * i.shares + (i.latestNps !== null && i.latestNps >= 9 ? 10 : 0)),
  };
  const total = tenth(parts.recency + parts.frequency + parts.depth + parts.interaction + parts.advocacy);
  return { total, parts, segment: segmentOf(total) };
}

const segmentOf = (total: number): Segment => (total >= 70 ? 'champion' : total >= 40 ? 'engaged' : total >= 15 ? 'casual' : 'dormant');

/** The window's rows of `rollup_visitor_days`: $1 site, $2 first day, $3 last day (= the report's `to`). */
const WINDOW_ROWS = `from rollup_visitor_days where site_id = $1 and day between $2::date and $3::date`;

/** Sums of {@link WINDOW_ROWS}, per group of rows: what the score and the report read. */
const SUMS = `
  min(first_seen) as first_seen, max(last_seen) as last_seen,
  coalesce(sum(sessions), 0) as sessions, coalesce(sum(pageviews), 0) as pageviews,
  coalesce(sum(engaged_ms), 0) as engaged_ms,
  -- custom_events leaves goals out (rollups.ts): a goal counts once, as a conversion
  coalesce(sum(custom_events), 0) as custom_events,
  coalesce(sum(goal_conversions), 0) as goal_conversions, coalesce(sum(faq_votes), 0) as faq_votes,
  coalesce(sum(nps_answers), 0) as nps_answers, coalesce(sum(searches), 0) as searches,
  coalesce(sum(shares), 0) as shares, coalesce(sum(faq_views), 0) as faq_views, coalesce(sum(friction), 0) as friction,
  -- "latest" and "first" as max / min of [when, what] arrays: no per-visitor sort, as array_agg(… order by) would do
  (max(array[extract(epoch from nps_last_at), nps_last]) filter (where nps_last is not null))[2] as latest_nps,
  -- sessions belong to the day they started on: the first day with a session has the first source
  (min(array[day::text, first_channel, first_source]) filter (where sessions > 0))[2] as first_channel,
  (min(array[day::text, first_channel, first_source]) filter (where sessions > 0))[3] as first_source,
  (max(array[day::text, customer_id]) filter (where customer_id is not null))[2] as customer_id`;

/**
 * {@link engagementScore} in SQL over the rows of `a` (columns of {@link SUMS}): the same float8
 * operations in the same order, so a sort by `total` agrees with the totals shown. $3 is the
 * report's last day, $4 the site's time zone. Exported for the test that holds the two together.
 */
export const scoreSql = (a: string) => `
  select ${a}.*, d.days_since, p.*, floor((p.recency + p.frequency + p.depth + p.interaction + p.advocacy) * 10 + 0.5) / 10 as total
  from ${a}
  cross join lateral (
    select (extract(epoch from ((($3::date + 1)::timestamp at time zone $4) - ${a}.last_seen)) * 1000)::float8 / 86400000 as days_since) d
  cross join lateral (
    select floor(greatest(0, least(20, 20 * (30 - d.days_since) / 29)) * 10 + 0.5) / 10 as recency,
      least(20, 2 * ${a}.sessions)::float8 as frequency,
      floor((least(10, ${a}.engaged_ms::float8 * 10 / 1800000) + least(10, ${a}.pageviews::float8 * 10 / 20)) * 10 + 0.5) / 10 as depth,
      least(20, 4 * (${a}.custom_events + ${a}.faq_votes + ${a}.nps_answers + ${a}.searches) + 10 * ${a}.goal_conversions)::float8 as interaction,
      (case when ${a}.latest_nps <= 6 then 0
            else least(20, 10 * ${a}.shares + case when ${a}.latest_nps >= 9 then 10 else 0 end) end)::float8 as advocacy) p`;

/** A row of {@link SUMS} with `days_since`, as the drivers return it (bigint sums as strings on PostgreSQL). */
interface SumsRow {
  first_seen: Date | string;
  last_seen: Date | string;
  days_since: number;
  sessions: string | number;
  pageviews: string | number;
  engaged_ms: string | number;
  custom_events: string | number;
  goal_conversions: string | number;
  faq_votes: string | number;
  nps_answers: string | number;
  searches: string | number;
  shares: string | number;
  faq_views: string | number;
  friction: string | number;
  latest_nps: number | string | null;
  first_channel: string | null;
  first_source: string | null;
  customer_id: string | null;
}

const scoreOf = (r: SumsRow): EngagementScore =>
  engagementScore({
    daysSinceLastSeen: Number(r.days_since),
    sessions: Number(r.sessions),
    pageviews: Number(r.pageviews),
    engagedMs: Number(r.engaged_ms),
    customEvents: Number(r.custom_events),
    goalConversions: Number(r.goal_conversions),
    faqVotes: Number(r.faq_votes),
    npsAnswers: Number(r.nps_answers),
    searches: Number(r.searches),
    shares: Number(r.shares),
    latestNps: r.latest_nps === null ? null : Number(r.latest_nps),
  });

/** The 30 days up to `to`, inclusive (DEFINITIONS: the score's window). */
export const scoreWindow = (to: string) => ({ from: addDays(to, 1 - SCORE_WINDOW_DAYS), to });

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

/** The columns of `visitor_windows` after its key: {@link scoreSql}'s output, as the report reads it. */
const WINDOW_COLUMNS = `visitor_id, customer_id, first_seen, last_seen, sessions, pageviews, engaged_ms, custom_events, goal_conversions,
  faq_votes, nps_answers, searches, shares, faq_views, friction, latest_nps, first_channel, first_source, days_since,
  recency, frequency, depth, interaction, advocacy, total`;

/**
 * Recomputes the `visitor_windows` rows of a site as of `asOf` (its local today), with the report's
 * own SQL: every visitor of the window, or (`visitorIds`) only these; a listed visitor no longer in
 * the window loses its row. Runs inside the rollup job's transaction.
 */
export async function refreshVisitorWindows(
  q: Query,
  site: { siteId: string; timezone: string },
  asOf: string,
  visitorIds?: string[],
): Promise<void> {
  const window = scoreWindow(asOf);
  const only = visitorIds ? ` and visitor_id in (select json_array_elements_text($5::json))` : '';
  const params: unknown[] = [site.siteId, window.from, window.to, site.timezone];
  if (visitorIds) params.push(JSON.stringify(visitorIds));
  await q(
    `delete from visitor_windows where site_id = $1 and ($2::date is not null) and as_of = $3::date and ($4::text is not null)${only}`,
    params,
  );
  await q(
    `insert into visitor_windows (site_id, as_of, ${WINDOW_COLUMNS})
     select $1::text, $3::date, ${WINDOW_COLUMNS} from (
       with a as (select visitor_id, ${SUMS} ${WINDOW_ROWS}${only} group by visitor_id)
       ${scoreSql('a')}) w`,
    params,
  );
}

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
    `with a as (select ${SUMS} ${WINDOW_ROWS} and visitor_id in (select json_array_elements_text($5::json)))
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
