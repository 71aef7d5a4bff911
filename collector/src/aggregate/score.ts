/**
 * The engagement score, model v1 (docs/DEFINITIONS.md, "Engagement score"): one visitor's figures over
 * the 30 days up to a date → five parts 0–20, a total and a segment.
 *
 * Computed twice, on purpose: in SQL ({@link scoreSql}), to sort a whole window of visitors by it
 * (a site may have a million of them: they cannot all come to JavaScript) and to keep
 * `visitor_windows` (./visitor-windows.ts); and by {@link engagementScore} for the rows a report
 * shows. Both do the same float8 operations in the same order, so they agree to the bit; the tests
 * of reports/visitors pin that.
 */
import { sql, type Placeholder } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rollupVisitorDays } from '../db/schema.ts';
import { as, type RowOf } from '../db/sql.ts';
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
/** The parts' names, in their order (the visitors report's CSV columns). */
export const SCORE_PARTS = ['recency', 'frequency', 'depth', 'interaction', 'advocacy'] as const satisfies readonly (keyof ScoreParts)[];

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

/** A value, or a placeholder for it in a query rendered once (db/sql.ts `query`). */
type Value<T> = T | Placeholder;

/** A visitor's 30-day window: its site, first and last day (the report's `to`). */
export interface ScoreWindow {
  siteId: Value<string>;
  from: Value<string>;
  to: Value<string>;
}

/** The window's rows of `rollup_visitor_days`, as `r`: what {@link SUMS} adds up. */
const R = alias(rollupVisitorDays, 'r');

/** `from rollup_visitor_days r where …` the window's rows, every visitor's. */
export const windowRows = (w: ScoreWindow) =>
  sql`from ${rollupVisitorDays} r where ${R.siteId} = ${w.siteId} and ${R.day} between ${w.from}::date and ${w.to}::date`;

/**
 * {@link windowRows} of the listed visitors only, looked up one visitor at a time by the (site,
 * visitor, day) index: a lateral join keeps that plan whatever the statistics say (with stale ones
 * PostgreSQL matched every row of the window against every listed visitor). A listed visitor
 * without rows still comes, once, with nulls as `listed`: grouped by it, its sums are 0 and its
 * `last_seen` null.
 */
export const listedRows = (w: ScoreWindow, visitorIds: Value<string[]>) => sql`from (select distinct json_array_elements_text(${
  Array.isArray(visitorIds) ? JSON.stringify(visitorIds) : visitorIds
}::json) as listed) v
  left join lateral (select * from ${rollupVisitorDays} r
    where ${R.siteId} = ${w.siteId} and ${R.visitorId} = v.listed and ${R.day} between ${w.from}::date and ${w.to}::date) r on true`;

/** Sums of the rows `r` ({@link windowRows} or {@link listedRows}), per group: what the score and the visitors report read. */
export const SUMS = sql`
  min(${R.firstSeen}) as first_seen, max(${R.lastSeen}) as last_seen,
  coalesce(sum(${R.sessions}), 0) as sessions, coalesce(sum(${R.returningSessions}), 0) as returning_sessions,
  coalesce(sum(${R.pageviews}), 0) as pageviews,
  coalesce(sum(${R.engagedMs}), 0) as engaged_ms,
  -- custom_events leaves goals out (aggregate/registry.ts): a goal counts once, as a conversion
  coalesce(sum(${R.customEvents}), 0) as custom_events,
  coalesce(sum(${R.goalConversions}), 0) as goal_conversions, coalesce(sum(${R.faqVotes}), 0) as faq_votes,
  coalesce(sum(${R.npsAnswers}), 0) as nps_answers, coalesce(sum(${R.searches}), 0) as searches,
  coalesce(sum(${R.shares}), 0) as shares, coalesce(sum(${R.faqViews}), 0) as faq_views, coalesce(sum(${R.friction}), 0) as friction,
  -- "latest" and "first" as max / min of [when, what] arrays: no per-visitor sort, as array_agg(… order by) would do
  (max(array[extract(epoch from ${R.npsLastAt}), ${R.npsLast}]) filter (where ${R.npsLast} is not null))[2] as latest_nps,
  -- sessions belong to the day they started on: the first day with a session has the first source
  (min(array[${R.day}::text, ${R.firstChannel}, ${R.firstSource}]) filter (where ${R.sessions} > 0))[2] as first_channel,
  (min(array[${R.day}::text, ${R.firstChannel}, ${R.firstSource}]) filter (where ${R.sessions} > 0))[3] as first_source,
  (max(array[${R.day}::text, ${R.customerId}]) filter (where ${R.customerId} is not null))[2] as customer_id`;

/**
 * {@link engagementScore} in SQL over the rows of the expression `a` (columns of {@link SUMS}): the
 * same float8 operations in the same order, so a sort by `total` agrees with the totals shown. The
 * window's end is `to` (inclusive) in the site's `timezone`. Exported for the test that holds the two together.
 */
export const scoreSql = (a: string, end: { to: Value<string>; timezone: Value<string> }) => {
  const t = sql.identifier(a);
  return sql`
  select ${t}.*, d.days_since, p.*, floor((p.recency + p.frequency + p.depth + p.interaction + p.advocacy) * 10 + 0.5) / 10 as total
  from ${t}
  cross join lateral (
    select (extract(epoch from (((${end.to}::date + 1)::timestamp at time zone ${end.timezone}) - ${t}.last_seen)) * 1000)::float8 / 86400000 as days_since) d
  cross join lateral (
    select floor(greatest(0, least(20, 20 * (30 - d.days_since) / 29)) * 10 + 0.5) / 10 as recency,
      least(20, 2 * ${t}.sessions)::float8 as frequency,
      floor((least(10, ${t}.engaged_ms::float8 * 10 / 1800000) + least(10, ${t}.pageviews::float8 * 10 / 20)) * 10 + 0.5) / 10 as depth,
      least(20, 4 * (${t}.custom_events + ${t}.faq_votes + ${t}.nps_answers + ${t}.searches) + 10 * ${t}.goal_conversions)::float8 as interaction,
      (case when ${t}.latest_nps <= 6 then 0
            else least(20, 10 * ${t}.shares + case when ${t}.latest_nps >= 9 then 10 else 0 end) end)::float8 as advocacy) p`;
};

/** The decoders of a row of {@link SUMS} with `days_since` (db/sql.ts `rows`). */
export const SUMS_ROW = {
  first_seen: as.date,
  last_seen: as.date,
  days_since: as.number,
  sessions: as.number,
  returning_sessions: as.number,
  pageviews: as.number,
  engaged_ms: as.number,
  custom_events: as.number,
  goal_conversions: as.number,
  faq_votes: as.number,
  nps_answers: as.number,
  searches: as.number,
  shares: as.number,
  faq_views: as.number,
  friction: as.number,
  latest_nps: as.nullable(as.number),
  first_channel: as.nullable(as.text),
  first_source: as.nullable(as.text),
  customer_id: as.nullable(as.text),
};
export type SumsRow = RowOf<typeof SUMS_ROW>;

export const scoreOf = (r: SumsRow): EngagementScore =>
  engagementScore({
    daysSinceLastSeen: r.days_since,
    sessions: r.sessions,
    pageviews: r.pageviews,
    engagedMs: r.engaged_ms,
    customEvents: r.custom_events,
    goalConversions: r.goal_conversions,
    faqVotes: r.faq_votes,
    npsAnswers: r.nps_answers,
    searches: r.searches,
    shares: r.shares,
    latestNps: r.latest_nps,
  });

/** The 30 days up to `to`, inclusive (DEFINITIONS: the score's window). */
export const scoreWindow = (to: string) => ({ from: addDays(to, 1 - SCORE_WINDOW_DAYS), to });
