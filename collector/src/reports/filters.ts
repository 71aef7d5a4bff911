/**
 * Report filters (CONTRACT §4): by the channel, network, device class, country and landing page of
 * a session. The day rollups do not keep these dimensions, so a filtered report reads one of two
 * other sources, with the same statement as without a filter:
 * - one filter, where every rollup the statement reads has rows per segment (aggregate/registry.ts
 *   SEGMENT_ROLLUPS): those rows of the filter's value stand in for the rollups ({@link withFilters});
 * - otherwise, the session-level tables of the range: the same day expressions the rollup job groups
 *   (aggregate/day.ts), over the kept sessions of the range ({@link FILTERED_SCOPE}), and the rollups'
 *   own groupings over them standing in for the rollup tables.
 * Both count the events in the range of the sessions that started in it. Without a filter a report
 * reads its rollups.
 */
import { getTableName, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { convertsGoal, IS_ENGAGED, SEGMENTS, SESSION_FACTS, SESSION_OUTCOMES } from '../aggregate/day.ts';
import { SEGMENT_ROLLUPS, type Grouping } from '../aggregate/registry.ts';
import { events, JOURNEY_STEPS, rollupDays, sessionJourneys, sessions, sites } from '../db/schema.ts';
import { as, perVariant, prepare, query, type Decoder, type Driver, type Shape } from '../db/sql.ts';
import { total } from './figures.ts';
import { inRange, rangeValues, type ReportRange } from './range.ts';

/** The filters: the session segments (aggregate/day.ts SEGMENTS). */
export const FILTERS = Object.keys(SEGMENTS) as (keyof typeof SEGMENTS)[];
export type FilterName = keyof typeof SEGMENTS;
/** `page` is the session's landing page, folded as page paths are */
export type Filters = { [K in FilterName]?: string };

export const hasFilters = (f: Filters) => FILTERS.some((k) => f[k] !== undefined);

const p = (name: string) => sql.placeholder(name);
const S = sessions;

/** The first instant of the range, and the first after it (its local days in the site's time zone). */
const rangeStart = sql`(${p('from')}::date)::timestamp at time zone ${p('timezone')}::text`;
const rangeEnd = sql`((${p('to')}::date) + 1)::timestamp at time zone ${p('timezone')}::text`;

/** A session (a row of `sessions`) matches every given filter: a placeholder per filter, null when not filtered. */
export const sessionMatches = (): SQL =>
  sql.join(
    FILTERS.map((f) => sql`(${p(f)}::text is null or ${SEGMENTS[f]} = ${p(f)}::text)`),
    sql` and `,
  );

/**
 * The sessions of the site that started within `from`–`to` (local days of the site's time zone)
 * and match every given filter: placeholders `site`, `from`, `to`, `timezone` and one per filter
 * (null: not filtered), so that the statement is rendered once ({@link filterValues} fills them).
 */
export const filteredSessions = (): SQL => sql`${S.siteId} = ${p('site')}
  and ${S.startedAt} >= ${rangeStart} and ${S.startedAt} < ${rangeEnd}
  and ${sessionMatches()}`;

/** The values of {@link filteredSessions}' filter placeholders. */
export const filterValues = (f: Filters) => Object.fromEntries(FILTERS.map((k) => [k, f[k] ?? null]));

/** Every placeholder of a filtered statement: the range, the site's time zone and the filters. */
export const filteredValues = (r: ReportRange, f: Filters) => ({ ...rangeValues(r), timezone: r.timezone, ...filterValues(f) });

/** The local day (`YYYY-MM-DD`, the site's time zone) of a time. */
const localDayOf = (time: SQL | AnyPgColumn) => sql`to_char(${time} at time zone ${p('timezone')}::text, 'YYYY-MM-DD')`;

/** The site's goals (custom event names and page paths), as the rollups read them (sites/goals.ts). */
export const siteGoals = sql`(select coalesce(${sites.settings}->'goals', '[]'::jsonb) from ${sites} where ${sites.id} = ${p('site')})`;

const E = events;
const J = sessionJourneys;
/** The site's goals as journeys hold them: a page path as is, an event name as `event:Name`. */
const goalSteps = sql`array(select case when goal like '/%' then goal else 'event:' || goal end from goals)`;
/** `e`: the events a statement of the scope reads (`${E} e`) */
const EA = alias(events, 'e');

/** A session's facts (aggregate/day.ts SESSION_FACTS), as its journey keeps them. */
const JOURNEY_FACTS = [J.firstFaq, J.lastSupport, J.friction, J.looped];
/** the journey's fact columns, qualified (`"session_journeys"."friction"` …) */
const journeyFacts = sql.join(JOURNEY_FACTS, sql`, `);
/** a session's id and facts, by their names: in `engaged` (the kept table) and in `session_facts` alike */
const FACTS = sql.join([sql`id`, ...JOURNEY_FACTS.map((c) => sql.identifier(c.name))], sql`, `);

const GOALS = sql`goals as (select value as goal from jsonb_array_elements_text(${siteGoals}))`;

/**
 * The kept sessions of the range ({@link filteredSessions}) with what the rollups' `engaged` rows
 * have (aggregate/day.ts): each session's local `day`, its journey's `steps` and facts (`first_faq`,
 * `last_support`, `friction`, `looped`: nulls until the rollup job has seen its day) and outcomes
 * (DEFINITIONS): `converted` (a goal conversion) and `is_engaged` (≥ 10 s engaged, or ≥ 2 page
 * views, or converted). Whether a session converted is read from its
 * journey (one row per session: its pages and goal events), not from a scan of the range's events. A
 * journey is cut at {@link JOURNEY_STEPS} steps and written by the rollup job, so only a session that
 * long, or not rolled up yet, has its own events looked into, in the partition of its own time (the
 * `ts` bounds prune the others). Needs {@link GOALS}.
 */
const KEPT_ROWS = sql`select s.*, ${IS_ENGAGED} from (
    select ${S}.*, ${localDayOf(S.startedAt)} as day, ${J.steps}, ${journeyFacts},
      case when cardinality(${J.steps}) < ${sql.raw(String(JOURNEY_STEPS))} then ${J.steps} && ${goalSteps}
        else exists (select 1 from ${E} e join goals on ${convertsGoal(EA)}
          where e.site_id = ${S.siteId} and e.session_id = ${S.id} and e.ts between ${S.startedAt} and ${S.endedAt}) end as converted
    from ${S} left join ${J} on ${J.sessionId} = ${S.id}
      -- a session's journey is on the day it started: the index of the range's journeys, not all of the site's
      and ${J.siteId} = ${p('site')} and ${J.day} between ${p('from')}::date and ${p('to')}::date
    where ${filteredSessions()}) s`;

/**
 * Where a filtered report's statements read {@link KEPT_ROWS}: a temporary table of its transaction
 * ({@link overKept}), so that the kept sessions are evaluated once for all of a report's statements,
 * not once in each (ten for acquisition).
 */
const KEPT = sql.identifier('kizuna_kept_sessions');
const CREATE_KEPT = sql`create temp table ${KEPT} on commit drop as
  select ${S}.*, ''::text as day, ${J.steps}, ${journeyFacts}, false as converted, false as is_engaged from ${S}, ${J} with no data`;
/** a month's Web Vitals samples of the kept sessions group into ~10⁵ (day, page, metric, bucket) keys: in memory, not spilled */
const WORK_MEM = sql`set local work_mem = '64MB'`;
const FILL_KEPT = prepare(sql`with ${GOALS} insert into ${KEPT} ${KEPT_ROWS}`);

/**
 * Runs a report's statements: with filters, in a transaction that holds the kept sessions of the
 * range for them ({@link FILTERED_SCOPE}) once a statement needs them ({@link keptSessions}); without,
 * on the driver as it is (the rollups).
 */
export async function overKept<T>(driver: Driver, range: ReportRange, f: Filters, run: (d: Driver) => Promise<T>): Promise<T> {
  if (!hasFilters(f)) return run(driver);
  return driver.transaction(async (tx) => {
    kept.set(tx, { values: filteredValues(range, f), rollups: new Map() });
    return run(tx);
  });
}

/**
 * Per {@link overKept} transaction: its placeholders' values, the kept sessions once filled
 * ({@link keptSessions}) and the rollups kept so far ({@link keepRollup}).
 */
const kept = new WeakMap<Driver, { values: Record<string, unknown>; sessions?: Promise<unknown>; rollups: Map<Grouping, Promise<unknown>> }>();

const scopeOf = (tx: Driver) => {
  const scope = kept.get(tx);
  if (!scope) throw new Error('a filtered report statement runs inside overKept');
  return scope;
};

/**
 * The kept sessions of an {@link overKept} transaction, filled on the first statement that reads them:
 * a report with one filter whose statements all read segment rollups never does (0.45 s of a month
 * at 1M events, bench/README.md).
 */
function keptSessions(tx: Driver): Promise<unknown> {
  const scope = scopeOf(tx);
  scope.sessions ??= tx
    .execute(WORK_MEM)
    .then(() => tx.execute(CREATE_KEPT))
    .then(() => tx.run(FILL_KEPT, scope.values));
  return scope.sessions;
}

const keptName = (g: Grouping) => sql.identifier(`kizuna_kept_${getTableName(g.table)}`);
/** A rollup's grouping over {@link FILTERED_SCOPE}, into a temporary table like the rollup's (rendered once per grouping). */
const keptRollupStatements = perVariant((g: Grouping) => {
  const columns = g.table as unknown as Record<string, AnyPgColumn>;
  const names = sql.join(['siteId', 'day', ...Object.keys(g.columns)].map((k) => sql.identifier(columns[k]!.name)), sql`, `);
  return {
    create: sql`create temp table ${keptName(g)} (like ${g.table} including defaults) on commit drop`,
    fill: prepare(sql`with ${FILTERED_SCOPE} insert into ${keptName(g)} (${names})
      select ${p('site')}::text, (${g.day})::date, ${sql.join(Object.values<SQL>(g.columns as Record<string, SQL>), sql`, `)}
      ${g.from} group by ${sql.join([g.day, ...g.groupBy], sql`, `)}`),
  };
});

/**
 * A rollup's rows for the kept sessions of an {@link overKept} transaction: its grouping
 * (aggregate/registry.ts) evaluated once per report, on the first statement that reads it, into a
 * temporary table. Seven of acquisition's ten statements read `rollup_sources`.
 */
function keepRollup(tx: Driver, g: Grouping): Promise<unknown> {
  const scope = scopeOf(tx);
  let done = scope.rollups.get(g);
  if (!done) {
    const { create, fill } = keptRollupStatements(g);
    done = keptSessions(tx)
      .then(() => tx.execute(create))
      .then(() => tx.run(fill, scope.values));
    scope.rollups.set(g, done);
  }
  return done;
}

/**
 * The day expressions of the rollups (aggregate/day.ts), by the same names, over the kept sessions
 * of a range ({@link overKept}) instead of one day's, so that a filtered report evaluates the
 * rollups' own groupings ({@link withFilters}):
 * - `goals`: the site's goals;
 * - `engaged`: the kept sessions with their day, journey and outcomes ({@link KEPT_ROWS});
 * - `goal_events`: the goal events of the converted sessions, with their `goal`;
 * - `day_events`: the events of those sessions, with their local `day`;
 * - `day_journeys`: their journeys;
 * - `day_sessions`, `session_events` and `session_facts`: the sessions whose journey holds no facts
 *   (not rolled up yet), their events and facts, computed as the rollup job does (aggregate/day.ts);
 * - `kept_facts`: every kept session's facts, from its journey or else from `session_facts`.
 */
export const FILTERED_SCOPE = sql`${GOALS},
  engaged as not materialized (select * from ${KEPT}),
  goal_events as materialized (
    -- once, each converted session's events through the session index (lateral, fenced by offset 0):
    -- the kept table has no statistics to tell the planner they are few, and it would scan the period's events
    select e.*, goals.goal from engaged c, lateral (
      select * from ${E} e where e.session_id = c.id and e.site_id = ${p('site')} and e.ts between c.started_at and c.ended_at offset 0) e
    join goals on ${convertsGoal(EA)} where c.converted),
  day_journeys as (select engaged.id as session_id, engaged.day, engaged.steps from engaged where engaged.steps is not null),
  day_events as not materialized (
    -- read by several expressions, yet inlined into each: its reader's conditions (type = 'share' …) reach the scan
    -- the range's bounds besides each session's: an index of the site's time (events_share …) can then drive
    select e.*, engaged.device, ${localDayOf(sql`e.ts`)} as day from engaged join ${E} e on e.session_id = engaged.id
    where e.site_id = ${p('site')} and e.ts between engaged.started_at and engaged.ended_at
      and e.ts >= ${rangeStart} and e.ts < ${rangeEnd} + interval '1 day'),
  day_sessions as (select * from engaged where engaged.friction is null),
  session_events as not materialized (select * from day_events where day_events.session_id in (select id from day_sessions)),
  ${SESSION_FACTS},
  kept_facts as (
    select ${FACTS} from engaged where engaged.friction is not null
    union all select ${FACTS} from session_facts)`;

/** A query over the kept sessions of the range ({@link FILTERED_SCOPE}), inside {@link overKept}. */
export function filteredQuery<S extends Shape>(statement: SQL, shape: S) {
  const run = query(sql`with ${FILTERED_SCOPE} ${statement}`, shape);
  return async (tx: Driver, values: Record<string, unknown>) => {
    await keptSessions(tx);
    return run(tx, values);
  };
}

/**
 * The rows of one segment (`segment`, the filter's name, and its `value`) of a rollup's twin
 * (aggregate/registry.ts SEGMENT_ROLLUPS), as an expression named like the rollup; rows of events
 * only of the sessions that started in the range.
 */
const segmentRows = (rollup: PgTable, twin: SegmentTable) => sql`${rollup} as (select * from ${twin}
  where ${twin.siteId} = ${p('site')} and ${twin.segment} = ${p('segment')} and ${twin.value} = ${p('value')}
    and ${twin.day} between ${p('from')}::date and ${p('to')}::date${
      twin.sessionDay ? sql` and ${twin.sessionDay} between ${p('from')}::date and ${p('to')}::date` : sql``
    })`;
type SegmentTable = PgTable & Record<'siteId' | 'segment' | 'value' | 'day', AnyPgColumn> & { sessionDay?: AnyPgColumn };

/** The one filter given, if only one is. */
function oneFilter(f: Filters): { segment: FilterName; value: string } | undefined {
  const given = FILTERS.filter((k) => f[k] !== undefined);
  return given.length === 1 ? { segment: given[0]!, value: f[given[0]!]! } : undefined;
}

/**
 * A report's query both ways: `plain` over the rollups without a filter; with filters (inside
 * {@link overKept}), `plain` over the rows of the filter's segment when there is one filter and
 * every rollup the statement `reads` has rows per segment ({@link segmentRows}), else `filtered` over
 * the kept sessions of the range ({@link FILTERED_SCOPE}), the rows of `groupings` ({@link keepRollup})
 * standing in for the rollups it reads: an expression named like a rollup's table is what the
 * statement's name of it reads.
 */
export function withFilters<S extends Shape>(
  plain: SQL,
  filtered: SQL,
  shape: S,
  groupings: Grouping[] = [],
  reads: PgTable[] = groupings.map((g) => g.table),
) {
  const unfiltered = query(plain, shape);
  const twins = reads.map((t) => [t, SEGMENT_ROLLUPS.get(t) as SegmentTable | undefined] as const);
  const segmented = reads.length && twins.every(([, twin]) => twin)
    ? query(sql`with ${sql.join(twins.map(([t, twin]) => segmentRows(t, twin!)), sql`, `)} ${plain}`, shape)
    : undefined;
  const rollups = groupings.map((g) => sql`${g.table} as (select * from ${keptName(g)})`);
  const matching = query(sql`with ${sql.join([FILTERED_SCOPE, ...rollups], sql`, `)} ${filtered}`, shape);
  // `more`: the values of the statement's own placeholders
  return async (driver: Driver, range: ReportRange, f: Filters, more: Record<string, unknown> = {}) => {
    if (!hasFilters(f)) return unfiltered(driver, { ...rangeValues(range), ...more });
    const one = oneFilter(f);
    if (segmented && one) return segmented(driver, { ...rangeValues(range), ...one, ...more });
    await Promise.all([keptSessions(driver), ...groupings.map((g) => keepRollup(driver, g))]);
    return matching(driver, { ...filteredValues(range, f), ...more });
  };
}

/** A report's statement over rollups, both ways ({@link withFilters}). */
export const rollupsOrFiltered = <S extends Shape>(statement: SQL, shape: S, ...groupings: Grouping[]) =>
  withFilters(statement, statement, shape, groupings);

type Outcome = keyof typeof SESSION_OUTCOMES;
/**
 * Session outcomes over the range (aggregate/day.ts SESSION_OUTCOMES: FAQ, self-served, escalated,
 * support, frustrated and loop sessions), each as a column of its name: the sums of the day rollups'
 * columns (with one filter, of its segment's rows), or with filters the same counts over the kept
 * sessions' facts (`kept_facts`).
 */
export function sessionOutcomes<K extends Outcome>(...names: K[]) {
  const columns = (value: (k: K) => SQL) => sql.join(names.map((k) => sql`${value(k)} as ${sql.identifier(k)}`), sql`, `);
  return withFilters(
    sql`select ${columns((k) => total(rollupDays[k]))} from ${rollupDays} where ${inRange(rollupDays)}`,
    sql`select ${columns((k) => SESSION_OUTCOMES[k])} from kept_facts`,
    Object.fromEntries(names.map((k) => [k, as.number])) as Record<K, Decoder<number>>,
    [],
    [rollupDays],
  );
}
