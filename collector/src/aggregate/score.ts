/**
 * The engagement score, model v1 (DEFINITIONS.md, "Engagement score"): one visitor's figures over
 * the 30 days up to a date → five parts 0–20, a total and a segment.
 *
 * Computed twice, on purpose: in SQL ({@link scoreSql}), to sort a whole window of visitors by it
 * (a site may have a million of them: they cannot all come to JavaScript) and to keep
 * `visitor_windows` (./visitor-windows.ts); and by {@link engagementScore} for the rows a report
 * shows. Both do the same float8 operations in the same order, so they agree to the bit; the tests
 * of reports/visitors pin that.
 */
import { addDays } from '../lib/dates.ts';

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
export const WINDOW_ROWS = `from rollup_visitor_days where site_id = $1 and day between $2::date and $3::date`;

/**
 * {@link WINDOW_ROWS} of the visitors listed in the JSON array $5 only, looked up one visitor at a
 * time by the (site, visitor, day) index: a lateral join keeps that plan whatever the statistics
 * say (with stale ones PostgreSQL matched every row of the window against every listed visitor).
 * A listed visitor without rows still comes, once, with nulls: grouped by `listed`, its sums are
 * 0 and its `last_seen` null.
 */
export const LISTED_ROWS = `from (select distinct json_array_elements_text($5::json) as listed) v
  left join lateral (select * from rollup_visitor_days r
    where r.site_id = $1 and r.visitor_id = v.listed and r.day between $2::date and $3::date) r on true`;

/** Sums of {@link WINDOW_ROWS}, per group of rows: what the score and the report read. */
export const SUMS = `
  min(first_seen) as first_seen, max(last_seen) as last_seen,
  coalesce(sum(sessions), 0) as sessions, coalesce(sum(returning_sessions), 0) as returning_sessions,
  coalesce(sum(pageviews), 0) as pageviews,
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
export interface SumsRow {
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

export const scoreOf = (r: SumsRow): EngagementScore =>
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
