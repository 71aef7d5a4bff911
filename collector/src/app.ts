/**
 * `createApp(deps)`: the whole collector as one Hono app, built from its dependencies, so the
 * server, the CLI's demo and the tests (through `app.request`) run the same code.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Db } from './db/index.ts';
import { createVisitorHasher } from './enrich/visitor.ts';
import { ingestRoutes } from './ingest/route.ts';
import { createSiteCache, type SiteLookup } from './lib/site-cache.ts';
import { reportRoutes } from './api/reports.ts';
import { sdkScriptRoutes } from './api/sdk-script.ts';

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

export function createApp(options: AppOptions) {
  const now = options.now ?? Date.now;
  const trustProxy = options.trustProxy ?? false;
  const deps: AppDeps = {
    ...options,
    now,
    trustProxy,
    sdkDir: options.sdkDir ?? new URL('../../sdk/dist', import.meta.url).pathname,
    country: options.country ?? (() => null),
    site: createSiteCache(options.db, 10_000, now),
    visitorHash: createVisitorHasher(options.db),
    clientIp: (c) => clientIp(c, trustProxy),
  };

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.res ?? c.json({ error: err.message }, err.status);
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.route('/api/v1/events', ingestRoutes(deps));
  app.route('/api/v1/sites', reportRoutes(deps));
  app.route('/', sdkScriptRoutes(deps));
  app.get('/health', (c) => c.json({ ok: true }));
  return app;
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
