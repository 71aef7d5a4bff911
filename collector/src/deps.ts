/**
 * What the collector's routes are built from (`createApp(options)` in ./app.ts): the database, the
 * clock and the settings, with their defaults settled once. Its own module, so that the routes
 * import it without importing the app that imports them.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Db } from './db/index.ts';
import { createVisitorHasher } from './enrich/visitor.ts';
import { createSiteCache, type SiteLookup } from './sites/cache.ts';

export interface AppOptions {
  db: Db;
  /** the server clock, ms; tests move it */
  now?: () => number;
  /** honour X-Forwarded-For (only behind a proxy you trust) */
  trustProxy?: boolean;
  /** folder with the built SDK (`kizuna.js`, chunks); defaults to `sdk/dist` */
  sdkDir?: string;
  rateLimit?: { perSecond: number; burst: number };
  /** country of an IP (offline GeoIP); none by default */
  country?: (ip: string) => string | null;
}

/** What every route can use: the options with their defaults settled once. */
export interface AppDeps extends Required<Omit<AppOptions, 'rateLimit'>> {
  rateLimit?: AppOptions['rateLimit'];
  site: SiteLookup;
  visitorHash: ReturnType<typeof createVisitorHasher>;
  clientIp: (c: Context) => string;
}

export function settleDeps(options: AppOptions): AppDeps {
  const now = options.now ?? Date.now;
  const trustProxy = options.trustProxy ?? false;
  return {
    ...options,
    now,
    trustProxy,
    sdkDir: options.sdkDir ?? new URL('../../sdk/dist', import.meta.url).pathname,
    country: options.country ?? (() => null),
    site: createSiteCache(options.db.sql, 10_000, now),
    visitorHash: createVisitorHasher(options.db.sql),
    clientIp: (c) => clientIp(c, trustProxy),
  };
}

function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return ''; // not behind @hono/node-server (app.request in tests)
  }
}
