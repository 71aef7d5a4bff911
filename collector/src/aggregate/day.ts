/**
 * One site-day, as every rollup statement sees it: common table expressions giving the day's bounds
 * in the site's time zone, its goals, its sessions (a session belongs to the day it started on), its
 * events, and each session's outcomes. The rollup registry (./registry.ts) writes each rollup from
 * these; `day` below gives typed references to the columns of each expression.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { events, sessionJourneys, sessions } from '../db/schema.ts';

export interface DayParams {
  siteId: string;
  /** local date in the site's time zone, `YYYY-MM-DD` */
  day: string;
  timezone: string;
  /** custom event names, or page paths (starting with `/`), that count as goal conversions */
  goals: string[];
}

/**
 * The expressions' rows, for typed column references (`${day.sessions.visitorId}` renders
 * `"day_sessions"."visitor_id"`). Each has its table's columns, and these more:
 * - `day_events`: `device` (its session's) and `day` (the local day, `YYYY-MM-DD`), and by segment
 *   (`dayScope(p, true)`) those of `segment_events`, `segment` and `value`;
 * - `segment_events` (by segment only): `day`, its session's segment columns ({@link SEGMENTS}) and
 *   `session_day` (the local day its session started on);
 * - `goal_events`: `goal` (the goal it converts);
 * - `engaged`: `is_engaged`, `converted`, `first_faq`, `last_support`, `friction`, `looped`.
 */
export const day = {
  /** the sessions that started on the day */
  sessions: alias(sessions, 'day_sessions'),
  /** the events of the day, wherever their session started (by segment: once per segment of their session) */
  events: alias(events, 'day_events'),
  /** the events of the day with their session's segments, once each (by segment only) */
  segmentEvents: alias(events, 'segment_events'),
  /** the events of the day's sessions, wherever they fall (a session may run past midnight) */
  sessionEvents: alias(events, 'session_events'),
  /** the session events that convert a goal */
  goalEvents: alias(events, 'goal_events'),
  /** the day's sessions with their outcomes */
  engaged: alias(sessions, 'engaged'),
  /** the journeys of the day's sessions (`session_journeys`, written before the rollups that read them) */
  journeys: alias(sessionJourneys, 'day_journeys'),
};

const S = sessions;
const E = events;
const DS = day.sessions;
const SE = day.sessionEvents;
const GE = day.goalEvents;
/** a second reference to session_events, for the loop subquery */
const P = alias(events, 'p');
const F = alias(sessions, 'f');

/** An event of `e` (an alias of `events`) that converts the goal `goals.goal` (a custom event name, or a page path). */
export const convertsGoal = (e: { type: AnyPgColumn; data: AnyPgColumn; path: AnyPgColumn }) =>
  sql`(${e.type} = 'custom' and ${e.data}->>'name' = goals.goal) or (${e.type} = 'pageview' and ${e.path} = goals.goal)`;

/** DEFINITIONS: engaged session = ≥ 10 s engaged time, or ≥ 2 page views, or a goal conversion; over a session row `s` with `converted`. */
export const IS_ENGAGED = sql`s.engaged_ms >= 10000 or s.pageviews >= 2 or s.converted as is_engaged`;

/**
 * `session_facts`: per session of `day_sessions`, from its `session_events`: its first FAQ view, its
 * last support contact, its friction events and whether it looped (viewed a page ≥ 3 times). The
 * rollup job reads it over one day's sessions, a filtered report over the kept sessions of a range
 * (reports/filters.ts); {@link SESSION_OUTCOMES} counts them.
 */
export const SESSION_FACTS = sql`session_facts as (
    select ${DS.id}, ${DS.visitorId},
      min(${SE.ts}) filter (where ${SE.type} = 'faq' and ${SE.data}->>'action' = 'view') as first_faq,
      max(${SE.ts}) filter (where ${SE.type} = 'support') as last_support,
      count(*) filter (where ${SE.type} = 'friction') as friction,
      -- uncorrelated, so that it runs once as a hashed subplan, not once per session (bench/README.md)
      ${DS.id} in (select ${P.sessionId} from session_events p where ${P.type} = 'pageview'
               group by ${P.sessionId}, ${P.path} having count(*) >= 3) as looped
    from day_sessions left join session_events on ${SE.sessionId} = ${DS.id} and ${SE.type} in ('faq', 'support', 'friction', 'pageview')
    group by ${DS.id}, ${DS.visitorId})`;

/**
 * The sessions' outcomes (DEFINITIONS: FAQ session, self-service, escalation, support session,
 * frustrated session, loop), counted over rows with {@link SESSION_FACTS}' columns.
 */
export const SESSION_OUTCOMES = {
  faqSessions: sql`count(*) filter (where first_faq is not null)`,
  selfServedSessions: sql`count(*) filter (where first_faq is not null and (last_support is null or last_support < first_faq))`,
  escalations: sql`count(*) filter (where first_faq is not null and last_support >= first_faq)`,
  supportSessions: sql`count(*) filter (where last_support is not null)`,
  frustratedSessions: sql`count(*) filter (where friction >= 3)`,
  loopSessions: sql`count(*) filter (where looped)`,
};

/**
 * The session segments reports filter by (CONTRACT §4 filters: a filter's name and the column of
 * `sessions` it compares), which the segment rollups are keyed by (db/schema.ts `segmentKey`).
 */
export const SEGMENTS = { channel: S.channel, network: S.network, device: S.device, country: S.country, page: S.landingPath };

/**
 * `segments(segment, value)`: a row per segment the session of `table` has a value of (`table`: the
 * name of a row with the segment columns of `sessions`), to join laterally after it.
 */
export const segmentsOf = (table: string): SQL => {
  const rows = Object.entries(SEGMENTS).map(([name, column]) => sql`(${sql.raw(`'${name}'`)}, ${sql.identifier(table)}.${sql.identifier(column.name)})`);
  return sql`cross join lateral (select * from (values ${sql.join(rows, sql`, `)}) v (segment, value) where value is not null) segments`;
};

/** The names of the session's segment columns, as `segment_events` has them ({@link dayScope}). */
export const SEGMENT_COLUMNS = [...Object.values(SEGMENTS).map((c) => c.name), 'session_day'];

/** The day's events joined to their sessions, with `columns` of the session, each under its own name. */
const eventsOfDay = (p: DayParams, columns: SQL) => sql`
    select ${E}.*, ${columns}, ${p.day}::text as day
    from ${E} join ${S} on ${S.id} = ${E.sessionId}, bounds
    where ${E.siteId} = ${p.siteId} and ${E.ts} >= bounds.lo and ${E.ts} < bounds.hi`;

/** The day's bounds, goals, sessions, their events and goal conversions: what {@link dayScope} and {@link dayEngaged} start with. */
const sessionsScope = (p: DayParams): SQL => sql`
  bounds as (select (${p.day}::date)::timestamp at time zone ${p.timezone} as lo,
    ((${p.day}::date) + 1)::timestamp at time zone ${p.timezone} as hi),
  goals as (select value as goal from json_array_elements_text(${JSON.stringify(p.goals)}::json)),
  day_sessions as (
    select ${S}.* from ${S}, bounds where ${S.siteId} = ${p.siteId} and ${S.startedAt} >= bounds.lo and ${S.startedAt} < bounds.hi),
  session_events as (
    select ${E}.* from ${E} join day_sessions on ${DS.id} = ${E.sessionId}, bounds
    where ${E.siteId} = ${p.siteId} and ${E.ts} >= bounds.lo and ${E.ts} < bounds.hi + interval '1 day'),
  goal_events as (
    select session_events.*, goals.goal from session_events join goals on ${convertsGoal(SE)})`;

/** The temporary table of the day's sessions with their outcomes, read as `engaged` ({@link dayEngaged}). */
const DAY_ENGAGED = sql.identifier('kizuna_day_engaged');

/**
 * Fills the temporary table `engaged` reads: the day's sessions with their outcomes, computed once
 * per day in its transaction before the rollups (./rollups.ts `rebuildDay`), not once per statement
 * that reads them (twelve, ~200 ms each at 1M events: bench/README.md).
 */
export const dayEngaged = (p: DayParams): SQL[] => [
  sql`drop table if exists ${DAY_ENGAGED}`,
  sql`create temp table ${DAY_ENGAGED} on commit drop as with ${sessionsScope(p)}, ${SESSION_FACTS}
    select s.*, ${IS_ENGAGED} from (
      -- uncorrelated, as \`looped\` is: one hashed subplan, not a scan of the day's events per session
      select day_sessions.*, ${DS.id} in (select ${GE.sessionId} from goal_events) as converted,
        f.first_faq, f.last_support, f.friction, f.looped
      from day_sessions join session_facts f on ${F.id} = ${DS.id}) s`,
];

/**
 * `with` clause of the day's expressions (without the keyword): prefix a statement with `with ${dayScope(p)}`.
 * `engaged` reads what {@link dayEngaged} filled. `bySegment`: for the segment rollups, `segment_events`
 * holds the day's events with their session's segment columns, and `day_events` a row per event and
 * segment of its session ({@link segmentsOf}), with `segment` and `value`.
 */
export const dayScope = (p: DayParams, bySegment = false): SQL => sql`${sessionsScope(p)},
  ${
    bySegment
      ? sql`segment_events as (${eventsOfDay(p, sql`${sql.join(Object.values(SEGMENTS), sql`, `)}, (${S.startedAt} at time zone ${p.timezone})::date as session_day`)}),
  day_events as (select segment_events.*, segments.segment, segments.value from segment_events ${segmentsOf('segment_events')}),`
      : sql`day_events as (${eventsOfDay(p, sql`${S.device}`)}),`
  }
  day_journeys as (select * from ${sessionJourneys} where ${sessionJourneys.siteId} = ${p.siteId} and ${sessionJourneys.day} = ${p.day}::date),
  engaged as (select * from ${DAY_ENGAGED})`;
