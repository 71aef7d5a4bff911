/**
 * `reports/goals` (CONTRACT §4): custom events (or page paths) declared as goals in the site's
 * settings; per goal its conversions, converting visitors, conversion rate and the same by source.
 *
 * Definitions: DEFINITIONS.md, "Goals, NPS, journeys": a goal is a custom event name, or a page
 * path (starting with `/`, matched against the folded page path), declared for the site;
 * conversion rate = converting visitors ÷ visitors, both distinct over the range. Reads
 * `rollup_goals` (conversions by goal, visitor and the source of the session they converted in)
 * and `rollup_visitor_days` (all visitors of the range).
 */
import type { Db } from '../db/index.ts';
import { goalsOf } from '../aggregate/rollups.ts';
import { round } from './overview.ts';
import type { ReportRange } from './range.ts';

export interface GoalSource {
  channel: string;
  source: string;
  conversions: number;
  convertingVisitors: number;
}

export interface GoalRow {
  goal: string;
  /** `page` when the goal is a page path, else `event` (a custom event name) */
  kind: 'event' | 'page';
  conversions: number;
  /** distinct visitors who converted in the range */
  convertingVisitors: number;
  /** converting visitors ÷ visitors, 0 when there are no visitors */
  conversionRate: number;
  /** by the channel and source of the session the conversion happened in; most conversions first */
  bySource: GoalSource[];
}

export interface GoalsReport {
  from: string;
  to: string;
  timezone: string;
  /** distinct visitors in the range: the denominator of every conversion rate */
  visitors: number;
  /** every goal declared for the site, in the declared order, converted or not */
  goals: GoalRow[];
}

type Count = string | number;
const inRange = `site_id = $1 and day between $2::date and $3::date`;

export async function goalsReport(db: Db, range: ReportRange): Promise<GoalsReport> {
  const params = [range.siteId, range.from, range.to];
  const [[site], [visitors], totals, sources] = await Promise.all([
    db.query<{ settings: unknown }>(`select settings from sites where id = $1`, [range.siteId]),
    db.query<{ n: Count }>(`select count(*) as n from (select visitor_id from rollup_visitor_days where ${inRange} group by visitor_id) v`, params),
    db.query<{ goal: string; conversions: Count; visitors: Count }>(
      `select goal, sum(conversions) as conversions, count(distinct visitor_id) as visitors
       from rollup_goals where ${inRange} group by goal`,
      params,
    ),
    db.query<{ goal: string; channel: string; source: string; conversions: Count; visitors: Count }>(
      `select goal, channel, source, sum(conversions) as conversions, count(distinct visitor_id) as visitors
       from rollup_goals where ${inRange} group by goal, channel, source
       order by conversions desc, visitors desc, channel, source`,
      params,
    ),
  ]);
  const all = Number(visitors!.n);
  const totalOf = new Map(totals.map((t) => [t.goal, t]));
  const sourcesOf = new Map<string, GoalSource[]>();
  for (const s of sources) {
    const row = { channel: s.channel, source: s.source, conversions: Number(s.conversions), convertingVisitors: Number(s.visitors) };
    const list = sourcesOf.get(s.goal);
    if (list) list.push(row);
    else sourcesOf.set(s.goal, [row]);
  }
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    visitors: all,
    goals: goalsOf(site?.settings).map((goal): GoalRow => {
      const converting = Number(totalOf.get(goal)?.visitors ?? 0);
      return {
        goal,
        kind: goal.startsWith('/') ? 'page' : 'event',
        conversions: Number(totalOf.get(goal)?.conversions ?? 0),
        convertingVisitors: converting,
        conversionRate: all ? round(converting / all) : 0,
        bySource: sourcesOf.get(goal) ?? [],
      };
    }),
  };
}

/** Flat rows for the CSV of `reports/goals`: one per goal (the by-source split is in the JSON). */
export const csvRows = (r: GoalsReport) =>
  r.goals.map(({ goal, kind, conversions, convertingVisitors, conversionRate }) => ({ goal, kind, conversions, convertingVisitors, conversionRate }));
