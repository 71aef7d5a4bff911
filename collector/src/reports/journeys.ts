/**
 * `reports/journeys` (CONTRACT §4): the top paths from landing to exit, and a funnel for
 * `steps=/a,/b,event:Signup`.
 *
 * Definitions: DEFINITIONS.md, "Goals, NPS, journeys": a journey is the ordered page paths (and
 * goal events) of a session; a funnel counts sessions that reach each step in order. Reads the
 * rollups of `session_journeys` (one row per session, on the day it started: its steps in order, a
 * page repeated in a row once, goal custom events as `event:Name`): `rollup_journeys` (per day, each
 * distinct journey and its sessions) and `rollup_paths` (per day, each page-only path and its
 * sessions). So a funnel's event steps must be declared goals: other custom events are not in the journeys.
 */
import { HTTPException } from 'hono/http-exception';
import type { Db } from '../db/index.ts';
import { foldGoalPath } from '../goals.ts';
import { round } from './overview.ts';
import type { ReportRange } from './range.ts';

export const TOP_PATHS = 20;
export const MAX_FUNNEL_STEPS = 10;
export const FUNNEL_NOTE = 'event steps match goal events only: declare the event as a goal to use it in a funnel';

export interface JourneysParams {
  /** comma-separated funnel steps: page paths (`/pricing`) or `event:Name` */
  steps?: string;
}

export interface TopPath {
  /** page paths from landing to exit, a page repeated in a row shown once */
  path: string[];
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

const inRange = `site_id = $1 and day between $2::date and $3::date`;

export async function journeysReport(db: Db, range: ReportRange, params: JourneysParams = {}): Promise<JourneysReport> {
  const steps = funnelSteps(params.steps);
  const base = [range.siteId, range.from, range.to];
  const [[total], topPaths, funnel] = await Promise.all([
    db.query<{ n: string | number }>(`select coalesce(sum(sessions), 0) as n from rollup_journeys where ${inRange}`, base),
    db.query<{ path: string[]; sessions: string | number }>(TOP_PATHS_SQL, [...base, TOP_PATHS]),
    steps.length ? db.query<Record<string, string | number>>(funnelSql(steps.length), [...base, ...steps]) : Promise.resolve([]),
  ]);
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    sessions: Number(total!.n),
    topPaths: topPaths.map((p) => ({ path: p.path, sessions: Number(p.sessions) })),
    funnel: steps.length ? { steps: funnelFigures(steps, funnel[0]!), note: FUNNEL_NOTE } : null,
  };
}

/**
 * Page steps only: goal events dropped from each journey and a page then repeated in a row shown
 * once, as the rollup job keeps them per day in `rollup_paths` (aggregate/rollups.ts).
 */
const TOP_PATHS_SQL = `
  select pages as path, sum(sessions) as sessions from rollup_paths where ${inRange}
  group by pages order by sum(sessions) desc, pages limit $4`;

/**
 * The funnel's SQL for n steps ($4 … $(n+3)). For each distinct journey of each day
 * (`rollup_journeys`, weighted by its sessions), p_k is the earliest position of step k after
 * p_(k−1): the earliest match of each step leaves the most room for the next, so a journey reaches
 * step k exactly when p_k exists (steps may be separated by other steps). `array_position(steps,
 * step, from)` finds it in C, one call per step and journey; each level is fenced (`offset 0`) so
 * that the planner does not inline p_(k−1)'s expression into p_k's and search again.
 */
function funnelSql(n: number): string {
  let level = `select steps, sessions, array_position(steps, $4::text) as p0
    from rollup_journeys where ${inRange} and $4::text = any(steps)`;
  for (let k = 1; k < n; k++) {
    const before = Array.from({ length: k }, (_, i) => `p${i}`).join(', ');
    level = `select steps, sessions, ${before},
      array_position(steps, $${k + 4}::text, coalesce(p${k - 1} + 1, ${NOWHERE})) as p${k}
      from (${level} offset 0) l${k}`;
  }
  const counts = Array.from({ length: n }, (_, k) => `coalesce(sum(sessions) filter (where p${k} is not null), 0) as s${k}`);
  return `select ${counts.join(', ')} from (${level} offset 0) j`;
}

/** A start position past any array: `array_position` then finds nothing (it refuses a null start). */
const NOWHERE = 2147483647;

function funnelFigures(steps: string[], row: Record<string, string | number>): FunnelStep[] {
  const reached = steps.map((_, k) => Number(row[`s${k}`]));
  const rate = (n: number, of: number) => (of ? round(n / of) : 0);
  return steps.map((step, k): FunnelStep => ({
    step,
    kind: step.startsWith('event:') ? 'event' : 'page',
    sessions: reached[k]!,
    fromPrevious: rate(reached[k]!, reached[k ? k - 1 : 0]!),
    fromFirst: rate(reached[k]!, reached[0]!),
  }));
}

/**
 * `steps=/a,/b,event:Signup` → the steps as `session_journeys` holds them: page paths folded as
 * `events.path` is (query dropped, numeric and UUID-like segments → `:id`), `event:Name` as given.
 * 400 on an empty step, a step that is neither, or more than {@link MAX_FUNNEL_STEPS}.
 */
export function funnelSteps(param: string | undefined): string[] {
  if (param === undefined || param.trim() === '') return [];
  const steps = param.split(',').map((s) => s.trim());
  if (steps.length > MAX_FUNNEL_STEPS) throw badSteps(`at most ${MAX_FUNNEL_STEPS} steps`);
  return steps.map((step) => {
    if (step.startsWith('/')) return foldGoalPath(step);
    if (/^event:.+/.test(step)) return step;
    throw badSteps(`"${step}" is neither a page path (/…) nor event:Name`);
  });
}

const badSteps = (why: string) => new HTTPException(400, { message: `invalid steps: ${why}` });

/** Flat rows for the CSV of `reports/journeys`: the top paths, steps joined by ` > `. */
export const csvRows = (r: JourneysReport) => r.topPaths.map((p) => ({ path: p.path.join(' > '), sessions: p.sessions }));
