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
import { desc, eq, sql } from 'drizzle-orm';
import { rollupGoals, rollupVisitorDays, sites } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { goalsOf } from '../sites/goals.ts';
import { count, total } from './figures.ts';
import { inRange, round, type ReportRange } from './range.ts';

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

export async function goalsReport(ex: Executor, range: ReportRange): Promise<GoalsReport> {
  const G = rollupGoals;
  const V = rollupVisitorDays;
  const conversions = total(G.conversions);
  const converting = count(sql`count(distinct ${G.visitorId})`);
  const visitorsInRange = ex.select({ visitorId: V.visitorId }).from(V).where(inRange(V, range)).groupBy(V.visitorId).as('v');
  const [[site], [visitors], totals, sources] = await Promise.all([
    ex.select({ settings: sites.settings }).from(sites).where(eq(sites.id, range.siteId)),
    ex.select({ n: count(sql`count(*)`) }).from(visitorsInRange),
    ex.select({ goal: G.goal, conversions, visitors: converting }).from(G).where(inRange(G, range)).groupBy(G.goal),
    ex
      .select({ goal: G.goal, channel: G.channel, source: G.source, conversions, visitors: converting })
      .from(G)
      .where(inRange(G, range))
      .groupBy(G.goal, G.channel, G.source)
      .orderBy(desc(conversions), desc(converting), G.channel, G.source),
  ]);
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
  goals: (r: GoalsReport) =>
    r.goals.map(({ goal, kind, conversions, convertingVisitors, conversionRate }) => ({ goal, kind, conversions, convertingVisitors, conversionRate })),
  bySource: (r: GoalsReport) => r.goals.flatMap(({ goal, bySource }) => bySource.map((s) => ({ goal, ...s }))),
};
