/**
 * A site's goals (DEFINITIONS: "Goal" — a custom event name, or a page path, declared as a goal for
 * the site), kept in `sites.settings.goals`, where the rollups read them.
 */
import { HTTPException } from 'hono/http-exception';
import type { Db } from './db/index.ts';
import { pagePath } from './enrich/path.ts';
import { lastPartialDay } from './store/erase.ts';

export const MAX_GOALS = 50;
/** the longest custom event name the wire protocol accepts */
export const MAX_GOAL_LENGTH = 120;

/**
 * A page-path goal or funnel step as `events.path` holds pages (DEFINITIONS: page grouping):
 * `/orders/123?x=1` → `/orders/:id`, so that it matches the page views it names.
 */
export const foldGoalPath = (path: string) => pagePath(`https://kizuna.invalid${path}`);

/**
 * Replaces the site's goals: trimmed, page paths folded, duplicates dropped, in the given order.
 * 400 when there are more than {@link MAX_GOALS} or one is empty or longer than
 * {@link MAX_GOAL_LENGTH} characters; 404 for an unknown site. Returns the goals stored.
 *
 * Goals apply to the past too: every day whose raw events are all still kept is marked dirty, so
 * the rollup job recomputes its conversions and journeys with the new goals. Older days keep the
 * goals they were computed with (their raw events are gone, see {@link lastPartialDay}).
 */
export async function setGoals(db: Db, siteId: string, goals: string[], now = Date.now()): Promise<string[]> {
  const clean = normalizeGoals(goals);
  return db.tx(async (q) => {
    const [site] = await q<{ timezone: string; retention_days: number }>(
      `update sites set settings = jsonb_set(settings, '{goals}', $2::jsonb) where id = $1 returning timezone, retention_days`,
      [siteId, JSON.stringify(clean)],
    );
    if (!site) throw new HTTPException(404, { message: `unknown site: ${siteId}` });
    await q(
      `insert into rollup_queue (site_id, day, version) select site_id, day, 1 from rollup_days where site_id = $1 and day > $2::date
       on conflict (site_id, day) do update set version = rollup_queue.version + 1, dirtied_at = now()`,
      [siteId, lastPartialDay(site.timezone, site.retention_days, now)],
    );
    return clean;
  });
}

function normalizeGoals(goals: unknown): string[] {
  if (!Array.isArray(goals)) throw badGoals('expected a list of strings');
  if (goals.length > MAX_GOALS) throw badGoals(`at most ${MAX_GOALS} goals`);
  const clean = goals.map((g) => {
    const goal = typeof g === 'string' ? g.trim() : '';
    return goal.startsWith('/') ? foldGoalPath(goal) : goal;
  });
  const bad = clean.find((g) => g.length < 1 || g.length > MAX_GOAL_LENGTH);
  if (bad !== undefined) throw badGoals(`each goal is 1 to ${MAX_GOAL_LENGTH} characters: "${bad.slice(0, 40)}"`);
  return [...new Set(clean)];
}

const badGoals = (why: string) => new HTTPException(400, { message: `invalid goals: ${why}` });
