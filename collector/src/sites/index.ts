/**
 * Sites: what the CLI registers and every other module reads — the site id of the script tag, the
 * origins allowed to send, the time zone its days are counted in, its retention and its settings
 * (goals: ./goals.ts; retention boundary: ./retention.ts). Report tokens: ./tokens.ts.
 */
import { arrayContains, eq } from 'drizzle-orm';
import type { Executor } from '../db/sql.ts';
import { sites } from '../db/schema.ts';

export type Site = typeof sites.$inferSelect;

export interface SiteInput {
  id: string;
  origins: string[];
  timezone?: string;
}

/** Registers a site, or updates its origins and time zone when it exists. */
export async function addSite(ex: Executor, input: SiteInput): Promise<Site> {
  const timezone = input.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) throw new Error(`unknown time zone: ${timezone}`);
  const origins = input.origins.map(normalizeOrigin);
  const [row] = await ex
    .insert(sites)
    .values({ id: input.id, origins, timezone })
    .onConflictDoUpdate({ target: sites.id, set: { origins, timezone } })
    .returning();
  return row!;
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

/** `https://Example.com/path` → `https://example.com`: CORS compares origins exactly. */
export function normalizeOrigin(origin: string): string {
  return new URL(origin).origin;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
