/**
 * `reports/events` (CONTRACT §4): every custom event name (`kizuna.track(name, props)`; no goal
 * declaration needed) with its count and visitors, and a breakdown by each prop: its values with
 * their count and visitors, the most frequent first, the rest summed.
 *
 * Definitions: docs/DEFINITIONS.md, "Custom events". Reads `rollup_events` and `rollup_event_props`
 * (per day, name, [prop, value,] visitor: visitors are distinct over the whole range); with filters
 * (reports/filters.ts), the custom events of the range whose session matches them.
 */
import { sql, type SQL } from 'drizzle-orm';
import { events, rollupEventProps, rollupEvents, sessions } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { filterValues, hasFilters, sessionMatches, type Filters } from './filters.ts';
import { inRange, rangeValues, type ReportRange } from './range.ts';
import { table } from './table.ts';

/** Event names listed, the most counted first: names are free text a page (or a forger) chooses. */
export const MAX_EVENT_NAMES = 500;
/** Props listed per event name, the most counted first. */
export const MAX_PROPS = 30;
/** Values listed per prop, the most counted first; the others are summed. */
export const TOP_VALUES = 10;

export interface PropValue {
  /** as text: a number or boolean as JSON writes it (`42`, `true`) */
  value: string;
  count: number;
  visitors: number;
}

export interface PropBreakdown {
  prop: string;
  /** events of the name that carried the prop */
  count: number;
  visitors: number;
  /** the {@link TOP_VALUES} most counted values */
  values: PropValue[];
  /** distinct values beyond those listed, and their events and distinct visitors together */
  otherValues: number;
  otherCount: number;
  otherVisitors: number;
}

export interface EventRow {
  name: string;
  count: number;
  /** distinct visitors who sent it in the range */
  visitors: number;
  /** the {@link MAX_PROPS} props most carried, most first */
  props: PropBreakdown[];
}

export interface EventsReport {
  from: string;
  to: string;
  timezone: string;
  /** every custom event name of the range (at most {@link MAX_EVENT_NAMES}), most counted first */
  eventList: EventRow[];
  /** distinct custom event names of the range, listed or not */
  names: number;
}

const TOP = sql.raw(String(TOP_VALUES));

/**
 * The rows the report counts, as two sources with the rollups' columns: `e` (name, visitor_id,
 * events) and `p` (name, prop, value, visitor_id, events). Unfiltered, the rollups of the range;
 * filtered, the same grouped from the custom events of the range whose session matches the filters.
 */
interface Sources {
  e: SQL;
  p: SQL;
}

const E = rollupEvents;
const P = rollupEventProps;
const ROLLUPS: Sources = {
  e: sql`select ${E.name}, ${E.visitorId}, ${E.events} from ${E} where ${inRange(E)}`,
  p: sql`select ${P.name}, ${P.prop}, ${P.value}, ${P.visitorId}, ${P.events} from ${P} where ${inRange(P)}`,
};

const EV = events;
const S = sessions;
/** The custom events of the range (local days) whose session matches the filters: `name`, `visitor_id`, `props`. */
const CUSTOM = sql`select ${EV.data}->>'name' as name, ${EV.visitorId}, ${EV.data}->'props' as props
  from ${EV} join ${S} on ${S.id} = ${EV.sessionId}
  where ${EV.siteId} = ${sql.placeholder('site')} and ${EV.type} = 'custom' and ${EV.data}->>'name' is not null
    and ${EV.ts} >= (${sql.placeholder('from')}::date)::timestamp at time zone ${sql.placeholder('timezone')}::text
    and ${EV.ts} < ((${sql.placeholder('to')}::date) + 1)::timestamp at time zone ${sql.placeholder('timezone')}::text
    and ${sessionMatches()}`;
const FILTERED: Sources = {
  e: sql`select name, visitor_id, count(*) as events from (${CUSTOM}) c group by name, visitor_id`,
  p: sql`select name, kv.key as prop, kv.value, visitor_id, count(*) as events
    from (${CUSTOM}) c cross join lateral jsonb_each_text(c.props) kv
    where jsonb_typeof(c.props) = 'object' and kv.value is not null group by name, kv.key, kv.value, visitor_id`,
};

const namesQuery = (src: Sources) =>
  query(
    sql`select name, sum(events) as count, count(distinct visitor_id) as visitors, count(*) over () as names
      from (${src.e}) e group by name order by count desc, name limit ${sql.raw(String(MAX_EVENT_NAMES))}`,
    { name: as.text, count: as.number, visitors: as.number, names: as.number },
  );

/**
 * Each (name, prop): its figures, and its {@link TOP_VALUES} values ranked by count (then value),
 * the others summed. One row per listed value (`rank` ≥ 1), and one per prop with `rank` 0 holding
 * the prop's totals and the others'.
 */
const propsQuery = (src: Sources) =>
  query(
    sql`with p as (${src.p}),
      v as (select name, prop, value, sum(events) as count, count(distinct visitor_id) as visitors from p group by name, prop, value),
      ranked as (select v.*, row_number() over (partition by name, prop order by count desc, value) as rank from v)
      select name, prop, value, count, visitors, rank, 0 as other_values, 0 as other_count, 0 as other_visitors
        from ranked where rank <= ${TOP}
      union all
      select p.name, p.prop, '', sum(p.events), count(distinct p.visitor_id), 0,
        count(distinct p.value) filter (where r.rank > ${TOP}),
        coalesce(sum(p.events) filter (where r.rank > ${TOP}), 0),
        count(distinct p.visitor_id) filter (where r.rank > ${TOP})
      from p join ranked r on r.name = p.name and r.prop = p.prop and r.value = p.value
      group by p.name, p.prop`,
    {
      name: as.text, prop: as.text, value: as.text, count: as.number, visitors: as.number, rank: as.number,
      other_values: as.number, other_count: as.number, other_visitors: as.number,
    },
  );

const FROM_ROLLUPS = { names: namesQuery(ROLLUPS), props: propsQuery(ROLLUPS) };
const FROM_EVENTS = { names: namesQuery(FILTERED), props: propsQuery(FILTERED) };

/** Code-point order: the same on every database collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The filters the events report takes (reports/filters.ts); none: the rollups. */
export type EventsParams = Filters;

export async function eventsReport(driver: Driver, range: ReportRange, params: EventsParams = {}): Promise<EventsReport> {
  const filtered = hasFilters(params);
  const { names: NAMES, props: PROPS } = filtered ? FROM_EVENTS : FROM_ROLLUPS;
  const values = filtered ? { ...rangeValues(range), timezone: range.timezone, ...filterValues(params) } : rangeValues(range);
  const [names, props] = await Promise.all([NAMES(driver, values), PROPS(driver, values)]);
  const byName = new Map<string, Map<string, PropBreakdown>>(names.map((n) => [n.name, new Map()]));
  for (const row of props) {
    const ofName = byName.get(row.name);
    if (!ofName) continue; // a name beyond MAX_EVENT_NAMES
    let prop = ofName.get(row.prop);
    if (!prop) {
      prop = { prop: row.prop, count: 0, visitors: 0, values: [], otherValues: 0, otherCount: 0, otherVisitors: 0 };
      ofName.set(row.prop, prop);
    }
    if (row.rank === 0) {
      Object.assign(prop, { count: row.count, visitors: row.visitors, otherValues: row.other_values, otherCount: row.other_count, otherVisitors: row.other_visitors });
    } else prop.values[row.rank - 1] = { value: row.value, count: row.count, visitors: row.visitors };
  }
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    eventList: names.map(({ name, count, visitors }) => ({
      name,
      count,
      visitors,
      props: [...byName.get(name)!.values()].sort((a, b) => b.count - a.count || compare(a.prop, b.prop)).slice(0, MAX_PROPS),
    })),
    names: names[0]?.names ?? 0,
  };
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  events: table(['name', 'count', 'visitors'], (r: EventsReport) => r.eventList.map(({ name, count, visitors }) => ({ name, count, visitors }))),
  /** one row per listed value; the others of a prop summed in a row with `other` true and no value */
  props: table(['name', 'prop', 'value', 'other', 'count', 'visitors'], (r: EventsReport) =>
    r.eventList.flatMap(({ name, props }) =>
      props.flatMap((p) => [
        ...p.values.map((v) => ({ name, prop: p.prop, value: v.value as string | null, other: false, count: v.count, visitors: v.visitors })),
        ...(p.otherValues > 0 ? [{ name, prop: p.prop, value: null, other: true, count: p.otherCount, visitors: p.otherVisitors }] : []),
      ]),
    ),
  ),
};
