/**
 * Sites change rarely and are read on every beacon: keep them in memory for a few seconds, so the
 * ingest path does not query for them, and a site added by the CLI is seen soon by every process.
 */
import type { Executor } from '../db/sql.ts';
import { getSite, type Site } from './index.ts';

export function createSiteCache(ex: Executor, ttlMs = 10_000, now = Date.now) {
  const cache = new Map<string, { site: Site | undefined; until: number }>();
  const site = async (id: string): Promise<Site | undefined> => {
    const hit = cache.get(id);
    if (hit && hit.until > now()) return hit.site;
    const found = await getSite(ex, id);
    if (cache.size > 10_000) cache.clear(); // unknown ids sent by a flood must not grow memory
    cache.set(id, { site: found, until: now() + ttlMs });
    return found;
  };
  /** This process changed the site: read it again next time. */
  const forget = (id: string) => void cache.delete(id);
  return Object.assign(site, { forget });
}
export type SiteLookup = ReturnType<typeof createSiteCache>;
