/**
 * What the collector's routes are built from (`createApp(options)` in ./app.ts): the database, the
 * clock and the settings, with their defaults settled once. Its own module, so that the routes
 * import it without importing the app that imports them.
 */
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Db } from './db/index.ts';
import { createVisitorHasher } from './enrich/visitor.ts';
import type { Rate } from './ingest/rate-limit/index.ts';
import { createOriginCache, createSiteCache, type SiteLookup } from './sites/cache.ts';
import { createWriter, type Writer, type WriterOptions } from './store/writer.ts';

/** Where `pnpm build` puts the SDK's scripts (served by api/sdk-script.ts). */
export const SDK_DIST = fileURLToPath(new URL('../../sdk/dist', import.meta.url));

export interface AppOptions {
  db: Db;
  /** the server clock, ms; tests move it */
  now?: () => number;
  /** honour X-Forwarded-For (only behind a proxy you trust) */
  trustProxy?: boolean;
  /** folder with the built SDK (`kizuna.js`, chunks); defaults to `sdk/dist` */
  sdkDir?: string;
  /** events requests per client IP (default 50/s, bursts of 200) */
  rateLimit?: Rate;
  /** events requests per site, all its visitors together, unless the site sets its own (default 2000/s, bursts of 10000) */
  siteRateLimit?: Rate;
  /** the group-commit writer's bounds (store/writer.ts) */
  writer?: WriterOptions;
  /** origins whose pages may read the report API (CORS); none by default */
  reportOrigins?: string[];
  /** country of an IP (offline GeoIP); none by default */
  country?: (ip: string) => string | null;
}

/** What every route can use: the options with their defaults settled once. */
export interface AppDeps extends Required<Omit<AppOptions, 'writer'>> {
  site: SiteLookup;
  /** whether any site takes events from an origin */
  siteOrigin: ReturnType<typeof createOriginCache>;
  writer: Writer;
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
    sdkDir: options.sdkDir ?? SDK_DIST,
    rateLimit: options.rateLimit ?? { perSecond: 50, burst: 200 },
    siteRateLimit: options.siteRateLimit ?? { perSecond: 2000, burst: 10_000 },
    reportOrigins: options.reportOrigins ?? [],
    country: options.country ?? (() => null),
    site: createSiteCache(options.db.sql, 10_000, now),
    siteOrigin: createOriginCache(options.db.sql, 10_000, now),
    // PGlite is one connection in this process: one flush at a time, smaller ones so that report
    // queries do not wait long; PostgreSQL writes the next flush while the previous one commits
    writer: createWriter(options.db.driver, {
      ...(options.db.kind === 'pglite' ? { maxEvents: 1000, concurrency: 1 } : { maxEvents: 2000, concurrency: 3 }),
      ...options.writer,
    }),
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
