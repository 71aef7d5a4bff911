/**
 * The walking skeleton, end to end in a real Chromium: the demo site's script tag → the collector →
 * the database → the overview report.
 */
import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events } from '../../collector/src/db/schema.ts';
import { useStack } from './harness.ts';
import { eventually } from './stack.ts';

const env = useStack();

const overview = async () => {
  const res = await fetch(`${env.stack.collector.url}/api/v1/sites/${env.stack.siteId}/reports/overview`, {
    headers: { authorization: `Bearer ${env.stack.token}` },
  });
  expect(res.status).toBe(200);
  return res.json();
};

it('counts the visitor, the session and the page views, and stores the custom event', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.stack.siteUrl}/`);
  await page.click('#signup');
  await page.goto(`${env.stack.siteUrl}/product.html`);
  await page.click('#spa-nav'); // history.pushState: an in-page navigation
  await page.waitForURL(/tab=/);
  await page.close({ runBeforeUnload: true }); // pagehide → sendBeacon

  const report = await eventually(async () => {
    const r = await overview();
    return r.pageviews >= 3 ? r : undefined;
  });
  expect(report).toMatchObject({ visitors: 1, sessions: 1, pageviews: 3 });
  expect(report.series.at(-1)).toMatchObject({ visitors: 1, sessions: 1, pageviews: 3 });

  const custom = await env.stack.collector.db.sql
    .select({ name: sql<string>`${events.data}->>'name'`, plan: sql<string>`${events.data}->'props'->>'plan'` })
    .from(events)
    .where(and(eq(events.siteId, env.stack.siteId), eq(events.type, 'custom')));
  expect(custom).toEqual([{ name: 'Signup', plan: 'trial' }]);
});

it('serves the built script compressed, with caching headers and a content-hash ETag', async () => {
  const res = await fetch(`${env.stack.collector.url}/kizuna.js`, { headers: { 'accept-encoding': 'gzip, br' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/javascript/);
  expect(res.headers.get('content-encoding')).toBe('br');
  expect(res.headers.get('vary')).toBe('Accept-Encoding');
  expect(await res.text()).toContain('kizuna'); // fetch decoded it
  expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
  const etag = res.headers.get('etag')!;
  expect(etag).toMatch(/^"[\w-]{16}-br"$/);
  const again = await fetch(`${env.stack.collector.url}/kizuna.js`, { headers: { 'accept-encoding': 'gzip, br', 'if-none-match': etag } });
  expect(again.status).toBe(304);
});
