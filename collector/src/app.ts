/**
 * `createApp(options)`: the whole collector as one Hono app, built from its dependencies (./deps.ts),
 * so the server, the CLI's demo and the tests (through `app.request`) run the same code.
 */
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { docsRoutes } from './api/docs.ts';
import { reportRoutes } from './api/reports.ts';
import { sdkScriptRoutes } from './api/sdk-script.ts';
import { dashboardRoutes } from './dashboard/routes.tsx';
import { isUnreachable } from './db/errors.ts';
import { settleDeps, type AppOptions } from './deps.ts';
import { ingestRoutes } from './ingest/route.ts';
import { InvalidInput, NotFound, Unavailable } from './lib/errors.ts';

export type { AppOptions } from './deps.ts';

export function createApp(options: AppOptions) {
  const deps = settleDeps(options);
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.res ?? c.json({ error: err.message }, err.status);
    if (err instanceof InvalidInput) return c.json({ error: err.message, field: err.field }, 400);
    if (err instanceof NotFound) return c.json({ error: err.message }, 404);
    if (err instanceof Unavailable || isUnreachable(err)) {
      c.header('Retry-After', String(err instanceof Unavailable ? err.retryAfter : 5));
      return c.json({ error: err instanceof Unavailable ? err.message : 'the database cannot be reached now' }, 503);
    }
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  // On every answer: no content sniffing, no framing, no referrer leaking a report's URL.
  app.use(async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    await next();
  });
  app.use('/api/v1/sites/*', async (c, next) => {
    c.header('Cache-Control', 'no-store'); // reports are private and change by the minute
    await next();
  });
  // The report API is read from pages of the origins the operator names only (KIZUNA_REPORT_ORIGINS).
  app.use('/api/v1/sites/*', cors({ origin: deps.reportOrigins, allowHeaders: ['Authorization', 'Content-Type'], maxAge: 600 }));
  app.route('/api/v1/events', ingestRoutes(deps));
  app.route('/api/v1/sites', reportRoutes(deps));
  app.route('/api/v1', docsRoutes());
  app.route('/dashboard', dashboardRoutes(deps));
  app.route('/', sdkScriptRoutes(deps));
  /** The process answers (a load balancer's liveness check). */
  app.get('/health', (c) => c.json({ ok: true }));
  /** The database answers and the write queue is below its bounds (a load balancer's readiness check). */
  app.get('/ready', async (c) => {
    const database = await Promise.race([
      deps.db.driver.execute(sql`select 1`).then(() => true, () => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false)),
    ]);
    const ready = database && deps.writer.ready;
    return c.json({ ready, database, queued: deps.writer.queued }, ready ? 200 : 503);
  });
  /** A site changed elsewhere (the admin endpoint): read it, and whether its origins belong to a site, again. */
  const forgetSite = (siteId: string, origins: string[]) => {
    deps.site.forget(siteId);
    for (const origin of origins) deps.siteOrigin.forget(origin);
  };
  return Object.assign(app, { writer: deps.writer, forgetSite });
}
