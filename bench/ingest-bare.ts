/**
 * The ceiling of bench/ingest.ts: a bare Hono handler on @hono/node-server that reads and parses the
 * body and answers 202, as its own process on PORT (as the collector runs).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().post('/api/v1/events', async (c) => {
  const body = JSON.parse(await c.req.text()) as { events: unknown[] };
  return c.json({ accepted: body.events.length, duplicates: 0, rejected: 0 }, 202);
});
app.get('/ready', (c) => c.json({ ready: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.once('SIGTERM', () => process.exit(0));
