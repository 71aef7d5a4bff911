/**
 * SDK signals in a real Chromium (issue #3): real Web Vitals with their selectors, a real 404,
 * a quick back, a rage burst — asserted on what the collector stored.
 */
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events } from '../../collector/src/db/schema.ts';
import type { Page } from 'playwright-core';
import { useStack } from './harness.ts';
import { eventually } from './stack.ts';

const env = useStack({ pages: 'tests' });

type Row = { type: string; path: string; url: string; data: Record<string, any> };
const stored = (type: string): Promise<Row[]> =>
  env.stack.collector.db.sql
    .select({ type: events.type, path: events.path, url: events.url, data: events.data })
    .from(events)
    .where(and(eq(events.siteId, env.stack.siteId), eq(events.type, type)))
    .orderBy(events.ts);
const frictionOf = async (kind: string) => (await stored('friction')).filter((e) => e.data.kind === kind);

/** Closing the page hides it: the SDK beacons what it holds. */
const leave = (page: Page) => page.close({ runBeforeUnload: true });

it('sends real Web Vitals with the selectors of their elements', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.stack.siteUrl}/vitals.html`, { waitUntil: 'load' });
  await page.waitForSelector('#late-banner');
  await page.waitForTimeout(1000); // the vitals chunk loads after `load`
  await page.click('#slow');
  await page.waitForSelector('#out:has-text("done")');
  await page.waitForTimeout(1000); // Event Timing entries reach observers a little after the paint
  await leave(page);
  const vitals = await eventually(async () => {
    const rows = await stored('vital');
    const names = new Set(rows.map((r) => r.data.name));
    return ['LCP', 'CLS', 'INP', 'FCP', 'TTFB'].every((n) => names.has(n)) ? rows : undefined;
  });
  const byName = Object.fromEntries(vitals.map((v) => [v.data.name, v.data]));
  expect(byName.LCP.selector).toContain('hero');
  expect(byName.INP.selector).toContain('slow');
  expect(byName.INP.value).toBeGreaterThanOrEqual(200);
  expect(byName.CLS.value).toBeGreaterThan(0);
  expect(byName.CLS.selector).toBeTruthy();
  for (const v of vitals) expect(['good', 'needs-improvement', 'poor']).toContain(v.data.rating);
});

it('reports not_found for a page whose document answered 404', async () => {
  const page = await env.browser.newPage();
  const res = await page.goto(`${env.stack.siteUrl}/no-such-page.html`, { waitUntil: 'load' });
  expect(res!.status()).toBe(404);
  await page.waitForTimeout(300);
  await leave(page);
  const [notFound] = await eventually(async () => ((await frictionOf('not_found')).length ? frictionOf('not_found') : undefined));
  expect(notFound!.path).toBe('/no-such-page.html');
});

it('reports a quick back when history.back() comes within 5 s', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.stack.siteUrl}/spa.html`, { waitUntil: 'load' });
  await page.waitForTimeout(200);
  await page.click('#go');
  await page.waitForTimeout(1000);
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => !location.search);
  await leave(page);
  const quick = await eventually(async () => ((await frictionOf('quick_back')).length ? frictionOf('quick_back') : undefined));
  expect(quick).toHaveLength(1);
  // on the page bounced from, its query value scrubbed (DEFINITIONS, privacy)
  expect(quick[0]!.url).toContain('spa.html?view=***');
});

it('reports exactly one rage_click for a burst on a non-interactive element', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.stack.siteUrl}/rage.html`, { waitUntil: 'load' });
  await page.waitForTimeout(200);
  for (let i = 0; i < 4; i++) await page.click('#rage-target', { delay: 20 });
  await page.waitForTimeout(1500);
  await leave(page);
  const rage = await eventually(async () => ((await frictionOf('rage_click')).length ? frictionOf('rage_click') : undefined));
  await new Promise((r) => setTimeout(r, 500)); // nothing more may arrive
  expect(await frictionOf('rage_click')).toHaveLength(1);
  expect(rage[0]!.data).toMatchObject({ count: 4 });
  expect(rage[0]!.data.selector).toContain('rage-target');
});
