/**
 * `createApp(options)`: the whole collector as one Hono app, built from its dependencies (./deps.ts),
 * so the server, the CLI's demo and the tests (through `app.request`) run the same code.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { reportRoutes } from './api/reports.ts';
import { sdkScriptRoutes } from './api/sdk-script.ts';
import { settleDeps, type AppOptions } from './deps.ts';
import { ingestRoutes } from './ingest/route.ts';
import { InvalidInput, NotFound } from './lib/errors.ts';

export type { AppOptions } from './deps.ts';

export function createApp(options: AppOptions) {
  const deps = settleDeps(options);
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.res ?? c.json({ error: err.message }, err.status);
    if (err instanceof InvalidInput) return c.json({ error: err.message, field: err.field }, 400);
    if (err instanceof NotFound) return c.json({ error: err.message }, 404);
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
