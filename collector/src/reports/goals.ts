/**
 * `reports/goals` (CONTRACT §4): custom events (or page paths) declared as goals in the site's
 * settings; per goal its conversions, converting visitors, conversion rate and the same by source.
 *
 * Definitions: docs/DEFINITIONS.md, "Goals, NPS, journeys": a goal is a custom event name, or a page
 * path (starting with `/`, matched against the folded page path), declared for the site;
 * conversion rate = converting visitors ÷ visitors, both distinct over the range. Reads
 * `rollup_goals` (conversions by goal, visitor and the source of the session they converted in)
 * and `rollup_visitor_days` (all visitors of the range).
 */
import { sql } from 'drizzle-orm';
import { rollupGoals, rollupVisitorDays, sites, type SiteSettings } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { goalsOf } from '../sites/goals.ts';
import { day } from '../aggregate/day.ts';
import { GOALS } from '../aggregate/registry.ts';
import { total } from './figures.ts';
import { overKept, rollupsOrFiltered, withFilters, type Filters } from './filters.ts';
import { inRange, rangeValues, round, type ReportRange } from './range.ts';
import { table } from './table.ts';

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

const G = rollupGoals;
const V = rollupVisitorDays;
const SETTINGS = query(sql`select ${sites.settings} from ${sites} where ${sites.id} = ${sql.placeholder('site')}`, { settings: as.json<SiteSettings>() });
const VISITORS = withFilters(
  sql`select count(*) as n from (select ${V.visitorId} from ${V} where ${inRange(V)} group by ${V.visitorId}) v`,
  sql`select count(distinct ${day.engaged.visitorId}) as n from engaged`,
  { n: as.number },
);
const CONVERSIONS = sql`${total(G.conversions)} as conversions, count(distinct ${G.visitorId}) as visitors`;
const TOTALS = rollupsOrFiltered(sql`select ${G.goal}, ${CONVERSIONS} from ${G} where ${inRange(G)} group by ${G.goal}`, {
  goal: as.text, conversions: as.number, visitors: as.number,
}, GOALS);
const SOURCES = rollupsOrFiltered(
  sql`select ${G.goal}, ${G.channel}, ${G.source}, ${CONVERSIONS} from ${G} where ${inRange(G)} group by ${G.goal}, ${G.channel}, ${G.source}
    order by conversions desc, visitors desc, ${G.channel}, ${G.source}`,
  { goal: as.text, channel: as.text, source: as.text, conversions: as.number, visitors: as.number },
  GOALS,
);

export async function goalsReport(driver: Driver, range: ReportRange, filters: Filters = {}): Promise<GoalsReport> {
  const [[site], [visitors], totals, sources] = await overKept(driver, range, filters, (d) =>
    Promise.all([SETTINGS(d, rangeValues(range)), VISITORS(d, range, filters), TOTALS(d, range, filters), SOURCES(d, range, filters)]),
  );
  const all = visitors!.n;
  const totalOf = new Map(totals.map((t) => [t.goal, t]));
  const sourcesOf = new Map<string, GoalSource[]>();
  for (const s of sources) {
    const row = { channel: s.channel, source: s.source, conversions: s.conversions, convertingVisitors: s.visitors };
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
      const convertingVisitors = totalOf.get(goal)?.visitors ?? 0;
      return {
        goal,
        kind: goal.startsWith('/') ? 'page' : 'event',
        conversions: totalOf.get(goal)?.conversions ?? 0,
        convertingVisitors,
        conversionRate: all ? round(convertingVisitors / all) : 0,
        bySource: sourcesOf.get(goal) ?? [],
      };
    }),
  };
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  goals: table(['goal', 'kind', 'conversions', 'convertingVisitors', 'conversionRate'], (r: GoalsReport) =>
    r.goals.map(({ goal, kind, conversions, convertingVisitors, conversionRate }) => ({ goal, kind, conversions, convertingVisitors, conversionRate }))),
  bySource: table(['goal', 'channel', 'source', 'conversions', 'convertingVisitors'], (r: GoalsReport) =>
    r.goals.flatMap(({ goal, bySource }) => bySource.map((s) => ({ goal, ...s })))),
};
