/**
 * `reports/journeys` (CONTRACT §4): the top paths from landing to exit, and a funnel for
 * `steps=/a,/b,event:Signup`.
 *
 * Definitions: docs/DEFINITIONS.md, "Goals, NPS, journeys": a journey is the ordered page paths (and
 * goal events) of a session; a funnel counts sessions that reach each step in order. Reads the
 * rollups of `session_journeys` (one row per session, on the day it started: its steps in order, a
 * page repeated in a row once, goal custom events as `event:Name`): `rollup_journeys` (per day, each
 * distinct journey and its sessions) and `rollup_paths` (per day, each page-only path and its
 * sessions). So a funnel's event steps must be declared goals: other custom events are not in the journeys.
 */
import { sql } from 'drizzle-orm';
import { rollupJourneys, rollupPaths } from '../db/schema.ts';
import { as, perVariant, type Driver } from '../db/sql.ts';
import { JOURNEYS, PATHS } from '../aggregate/registry.ts';
import { total } from './figures.ts';
import { overKept, rollupsOrFiltered, type Filters } from './filters.ts';
import { inRange, round, type ReportRange } from './range.ts';
import { table } from './table.ts';

export const TOP_PATHS = 20;
export const MAX_FUNNEL_STEPS = 10;
export const FUNNEL_NOTE = 'event steps match goal events only: declare the event as a goal to use it in a funnel';

export interface JourneysParams extends Filters {
  /**
   * funnel steps as the journeys hold them (api/params.ts parses `steps=/a,/b,event:Signup`): folded
   * page paths, or `event:Name`; at most {@link MAX_FUNNEL_STEPS}
   */
  steps?: string[];
}

export interface TopPath {
  /** page paths from landing to exit, a page repeated in a row shown once (`path` is one page everywhere) */
  pages: string[];
  sessions: number;
}

export interface FunnelStep {
  /** the step as matched: a folded page path, or `event:Name` */
  step: string;
  kind: 'page' | 'event';
  /** sessions that reached this step after every step before it, in order */
  sessions: number;
  /** sessions ÷ the previous step's sessions (1 for the first step when it has any) */
  fromPrevious: number;
  /** sessions ÷ the first step's sessions */
  fromFirst: number;
}

export interface JourneysReport {
  from: string;
  to: string;
  timezone: string;
  /** sessions with a journey (a page view or a goal) that started in the range */
  sessions: number;
  topPaths: TopPath[];
  /** null when no `steps` were asked for */
  funnel: { steps: FunnelStep[]; note: string } | null;
}

const J = rollupJourneys;
const P = rollupPaths;
const SESSIONS = rollupsOrFiltered(sql`select ${total(J.sessions)} as n from ${J} where ${inRange(J)}`, { n: as.number }, JOURNEYS);
// page steps only: goal events dropped from each journey and a page then repeated in a row shown
// once, as the rollup job keeps them per day in `rollup_paths` (aggregate/registry.ts)
const TOP = rollupsOrFiltered(
  sql`select ${P.pages}, ${total(P.sessions)} as sessions from ${P} where ${inRange(P)}
    group by ${P.pages} order by sum(${P.sessions}) desc, ${P.pages} limit ${sql.raw(String(TOP_PATHS))}`,
  { pages: as.texts, sessions: as.number },
  PATHS,
);

export async function journeysReport(driver: Driver, range: ReportRange, params: JourneysParams = {}): Promise<JourneysReport> {
  const { steps = [], ...filters } = params;
  const [[sessions], topPaths, funnel] = await overKept(driver, range, filters, (d) =>
    Promise.all([
      SESSIONS(d, range, filters),
      TOP(d, range, filters),
      steps.length ? funnelOf(steps.length)(d, range, filters, Object.fromEntries(steps.map((s, k) => [`step${k}`, s]))) : [],
    ]),
  );
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    sessions: sessions!.n,
    topPaths,
    funnel: steps.length ? { steps: funnelFigures(steps, funnel[0]!), note: FUNNEL_NOTE } : null,
  };
}

/** The funnel query of n steps, rendered once per n. */
const funnelOf = perVariant(funnelQuery);

/**
 * The funnel's query for n steps (placeholders `step0` …). For each distinct journey of each day
 * (`rollup_journeys`, weighted by its sessions), p_k is the earliest position of step k after
 * p_(k−1): the earliest match of each step leaves the most room for the next, so a journey reaches
 * step k exactly when p_k exists (steps may be separated by other steps). `array_position(steps,
 * step, from)` finds it in C, one call per step and journey; each level is fenced (`offset 0`) so
 * that the planner does not inline p_(k−1)'s expression into p_k's and search again.
 */
function funnelQuery(n: number) {
  const step = (k: number) => sql`${sql.placeholder(`step${k}`)}::text`;
  let level = sql`select ${J.steps}, ${J.sessions}, array_position(${J.steps}, ${step(0)}) as p0
    from ${J} where ${inRange(J)} and ${step(0)} = any(${J.steps})`;
  for (let k = 1; k < n; k++) {
    const before = sql.raw(Array.from({ length: k }, (_, i) => `p${i}`).join(', '));
    level = sql`select steps, sessions, ${before},
      array_position(steps, ${step(k)}, coalesce(${sql.raw(`p${k - 1}`)} + 1, ${sql.raw(String(NOWHERE))})) as ${sql.raw(`p${k}`)}
      from (${level} offset 0) ${sql.raw(`l${k}`)}`;
  }
  const counts = Array.from({ length: n }, (_, k) => sql.raw(`coalesce(sum(sessions) filter (where p${k} is not null), 0) as s${k}`));
  return rollupsOrFiltered(
    sql`select ${sql.join(counts, sql`, `)} from (${level} offset 0) j`,
    Object.fromEntries(Array.from({ length: n }, (_, k) => [`s${k}`, as.number])),
    JOURNEYS,
  );
}

/** A start position past any array: `array_position` then finds nothing (it refuses a null start). */
const NOWHERE = 2147483647;

function funnelFigures(steps: string[], counts: Record<string, number>): FunnelStep[] {
  const reached = steps.map((_, k) => counts[`s${k}`]!);
  const rate = (n: number, of: number) => (of ? round(n / of) : 0);
  return steps.map((step, k): FunnelStep => ({
    step,
    kind: step.startsWith('event:') ? 'event' : 'page',
    sessions: reached[k]!,
    fromPrevious: rate(reached[k]!, reached[k ? k - 1 : 0]!),
    fromFirst: rate(reached[k]!, reached[0]!),
  }));
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. A path's pages are joined by ` > `. */
export const tables = {
  topPaths: table(['pages', 'sessions'], (r: JourneysReport) => r.topPaths.map((p) => ({ pages: p.pages.join(' > '), sessions: p.sessions }))),
  funnel: table(['step', 'kind', 'sessions', 'fromPrevious', 'fromFirst'], (r: JourneysReport) => r.funnel?.steps ?? []),
};
