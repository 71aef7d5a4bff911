/**
 * Sites change rarely and are read on every beacon: keep them in memory for a few seconds, so the
 * ingest path does not query for them, and a site added by the CLI is seen soon by every process.
 * Likewise whether an origin belongs to any site (CORS preflights).
 */
import type { Executor } from '../db/sql.ts';
import { getSite, isSiteOrigin, type Site } from './index.ts';

/** A lookup remembered for `ttlMs`; unknown keys sent by a flood cannot grow memory past `maxKeys`. */
function remembered<T>(lookup: (key: string) => Promise<T>, ttlMs: number, now: () => number, maxKeys = 10_000) {
  const cache = new Map<string, { value: T; until: number }>();
  const get = async (key: string): Promise<T> => {
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.value;
    const value = await lookup(key);
    if (cache.size > maxKeys) cache.clear();
    cache.set(key, { value, until: now() + ttlMs });
    return value;
  };
  /** This process changed it: read it again next time. */
  const forget = (key: string) => void cache.delete(key);
  return Object.assign(get, { forget });
}

export const createSiteCache = (ex: Executor, ttlMs = 10_000, now = Date.now) =>
  remembered<Site | undefined>((id) => getSite(ex, id), ttlMs, now);
export type SiteLookup = ReturnType<typeof createSiteCache>;

export const createOriginCache = (ex: Executor, ttlMs = 10_000, now = Date.now) => remembered((origin) => isSiteOrigin(ex, origin), ttlMs, now);
