/**
 * `reports/events` (CONTRACT §4): every custom event name (`kizuna.track(name, props)`; no goal
 * declaration needed) with its count and visitors, and a breakdown by each prop: its values with
 * their count and visitors, the most frequent first, the rest summed.
 *
 * Definitions: docs/DEFINITIONS.md, "Custom events". Reads `rollup_events` and `rollup_event_props`
 * (per day, name, [prop, value,] visitor: visitors are distinct over the whole range).
 */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rollupEventProps, rollupEvents } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { total } from './figures.ts';
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

const E = rollupEvents;
const P = rollupEventProps;
/** `rollup_event_props` as `p`, joined with the ranked values (`from ${P} p`) */
const PR = alias(rollupEventProps, 'p');
const TOP = sql.raw(String(TOP_VALUES));

const NAMES = query(
  sql`select ${E.name}, ${total(E.events)} as count, count(distinct ${E.visitorId}) as visitors, count(*) over () as names
    from ${E} where ${inRange(E)} group by ${E.name} order by count desc, ${E.name} limit ${sql.raw(String(MAX_EVENT_NAMES))}`,
  { name: as.text, count: as.number, visitors: as.number, names: as.number },
);

/**
 * Each (name, prop): its figures, and its {@link TOP_VALUES} values ranked by count (then value),
 * the others summed. One row per listed value (`rank` ≥ 1), and one per prop with `rank` 0 holding
 * the prop's totals and the others'.
 */
const PROPS = query(
  sql`with v as (
      select ${P.name}, ${P.prop}, ${P.value}, sum(${P.events}) as count, count(distinct ${P.visitorId}) as visitors
      from ${P} where ${inRange(P)} group by ${P.name}, ${P.prop}, ${P.value}),
    ranked as (select v.*, row_number() over (partition by name, prop order by count desc, value) as rank from v)
    select name, prop, value, count, visitors, rank, 0 as other_values, 0 as other_count, 0 as other_visitors
      from ranked where rank <= ${TOP}
    union all
    select ${PR.name}, ${PR.prop}, '', sum(${PR.events}), count(distinct ${PR.visitorId}), 0,
      count(distinct ${PR.value}) filter (where r.rank > ${TOP}),
      coalesce(sum(${PR.events}) filter (where r.rank > ${TOP}), 0),
      count(distinct ${PR.visitorId}) filter (where r.rank > ${TOP})
    from ${P} p join ranked r on r.name = ${PR.name} and r.prop = ${PR.prop} and r.value = ${PR.value}
    where ${inRange(PR)} group by ${PR.name}, ${PR.prop}`,
  {
    name: as.text, prop: as.text, value: as.text, count: as.number, visitors: as.number, rank: as.number,
    other_values: as.number, other_count: as.number, other_visitors: as.number,
  },
);

/** Code-point order: the same on every database collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function eventsReport(driver: Driver, range: ReportRange): Promise<EventsReport> {
  const values = rangeValues(range);
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
