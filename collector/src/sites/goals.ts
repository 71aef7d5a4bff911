/**
 * A site's goals (DEFINITIONS: "Goal" — a custom event name, or a page path, declared as a goal for
 * the site), kept in `sites.settings.goals`, where the rollups read them.
 */
import { eq, sql } from 'drizzle-orm';
import { markDirtyAfter } from '../db/rollup-queue.ts';
import { sites, type SiteSettings } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { invalid, NotFound } from '../lib/errors.ts';
import { pagePath } from '../lib/page-path.ts';
import { lastPartialDay } from './retention.ts';

export const MAX_GOALS = 50;
/** the longest custom event name the wire protocol accepts */
export const MAX_GOAL_LENGTH = 120;

/** The goals of a site's settings (none when unset or malformed). */
export const goalsOf = (settings: SiteSettings | null | undefined): string[] => {
  const goals = settings?.goals;
  return Array.isArray(goals) ? goals.filter((g): g is string => typeof g === 'string') : [];
};

/**
 * A page-path goal or funnel step as `events.path` holds pages (DEFINITIONS: page grouping):
 * `/orders/123?x=1` → `/orders/:id`, so that it matches the page views it names.
 */
export const foldGoalPath = (path: string) => pagePath(`https://kizuna.invalid${path}`);

/**
 * Replaces the site's goals: trimmed, page paths folded, duplicates dropped, in the given order.
 * an invalid-input error when there are more than {@link MAX_GOALS} or one is empty or longer than
 * {@link MAX_GOAL_LENGTH} characters; {@link NotFound} for an unknown site. Returns the goals stored.
 *
 * Goals apply to the past too: every day whose raw events are all still kept is marked dirty, so
 * the rollup job recomputes its conversions and journeys with the new goals. Older days keep the
 * goals they were computed with (their raw events are gone: sites/retention.ts).
 */
export async function setGoals(ex: Executor, siteId: string, goals: unknown, now = Date.now()): Promise<string[]> {
  const clean = normalizeGoals(goals);
  return ex.transaction(async (tx) => {
    const [site] = await tx
      .update(sites)
      .set({ settings: sql`jsonb_set(${sites.settings}, '{goals}', ${JSON.stringify(clean)}::jsonb)` })
      .where(eq(sites.id, siteId))
      .returning({ timezone: sites.timezone, retentionDays: sites.retentionDays });
    if (!site) throw new NotFound(`unknown site: ${siteId}`);
    await markDirtyAfter(tx, siteId, lastPartialDay(site, now));
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

const badGoals = (why: string) => invalid('goals', why);
