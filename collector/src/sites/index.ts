/**
 * Sites: what the CLI registers and every other module reads — the site id of the script tag, the
 * origins allowed to send, the time zone its days are counted in, its retention and its settings
 * (goals: ./goals.ts; retention boundary: ./retention.ts). Report tokens: ./tokens.ts.
 */
import { arrayContains, eq } from 'drizzle-orm';
import type { Executor } from '../db/sql.ts';
import { sites } from '../db/schema.ts';
import { invalid, NotFound } from '../lib/errors.ts';
import { checkSiteId, checkTimeZone, parseOrigin } from '../lib/site-input.ts';
import { markRetainedDays } from './retention.ts';

export type Site = typeof sites.$inferSelect;

export interface SiteInput {
  id: string;
  origins: string[];
  timezone?: string;
}

/** What `site update` may change; origins are added and removed one by one, never replaced. */
export interface SiteChange {
  addOrigins?: string[];
  removeOrigins?: string[];
  timezone?: string;
  rateLimit?: { perSecond: number; burst: number };
  acceptServerSide?: boolean;
}

/**
 * Registers a new site; an existing id is refused (its origins and time zone change with
 * `updateSite`, which adds to them: replacing them here once cut a live origin off).
 */
export async function createSite(ex: Executor, input: SiteInput): Promise<Site> {
  const values = siteValues(input);
  const [row] = await ex.insert(sites).values(values).onConflictDoNothing().returning();
  if (!row) throw invalid('id', `site ${input.id} exists: change it with \`kizuna site update ${input.id}\``);
  return row;
}

/** Registers a site, or sets its origins and time zone when it exists (the demo, tests and benchmarks set up known sites). */
export async function addSite(ex: Executor, input: SiteInput): Promise<Site> {
  const values = siteValues(input);
  const [row] = await ex
    .insert(sites)
    .values(values)
    .onConflictDoUpdate({ target: sites.id, set: { origins: values.origins, timezone: values.timezone } })
    .returning();
  return row!;
}

function siteValues(input: SiteInput) {
  checkSiteId(input.id);
  const timezone = input.timezone ?? 'UTC';
  checkTimeZone(timezone);
  if (input.origins.length === 0) throw invalid('origin', 'a site needs at least one origin its pages are served from');
  return { id: input.id, origins: [...new Set(input.origins.map(parseOrigin))], timezone };
}

/**
 * Changes a site's origins and settings; a time-zone change moves every event to another local day,
 * so every day still within raw-event retention is marked for recomputation (older days have lost
 * events: they keep the figures computed in the old zone). Returns the site as stored.
 */
export async function updateSite(ex: Executor, id: string, change: SiteChange, now = Date.now()): Promise<Site> {
  const add = (change.addOrigins ?? []).map(parseOrigin);
  const remove = new Set((change.removeOrigins ?? []).map(parseOrigin));
  if (change.timezone !== undefined) checkTimeZone(change.timezone);
  return ex.transaction(async (tx) => {
    const [site] = await tx.select().from(sites).where(eq(sites.id, id)).for('update');
    if (!site) throw new NotFound(`unknown site: ${id}`);
    for (const origin of remove) if (!site.origins.includes(origin)) throw invalid('remove-origin', `${origin} is not an origin of ${id} (${site.origins.join(', ')})`);
    const origins = [...new Set([...site.origins.filter((o) => !remove.has(o)), ...add])];
    if (origins.length === 0) throw invalid('remove-origin', `a site keeps at least one origin; add the new one first`);
    const settings = { ...site.settings };
    if (change.rateLimit) settings.rateLimit = change.rateLimit;
    if (change.acceptServerSide !== undefined) settings.acceptServerSide = change.acceptServerSide;
    const timezone = change.timezone ?? site.timezone;
    const [row] = await tx.update(sites).set({ origins, timezone, settings }).where(eq(sites.id, id)).returning();
    if (timezone !== site.timezone) await markRetainedDays(tx, row!, now);
    return row!;
  });
}

export async function getSite(ex: Executor, id: string): Promise<Site | undefined> {
  const [row] = await ex.select().from(sites).where(eq(sites.id, id));
  return row;
}

export async function listSites(ex: Executor): Promise<Site[]> {
  return ex.select().from(sites);
}

/** Whether any site takes events from this origin (CORS preflights are answered for these only). */
export async function isSiteOrigin(ex: Executor, origin: string): Promise<boolean> {
  const [found] = await ex.select({ id: sites.id }).from(sites).where(arrayContains(sites.origins, [origin])).limit(1);
  return found !== undefined;
}
