/**
 * Issue #12, "SDK in the wild", in a real Chromium: one page with the hostile conditions of real
 * sites (Prototype.js-style toJSON on the prototypes, a CSP with a nonce, fetch and sendBeacon
 * replaced after load, History.prototype patched after the SDK, a pushState reference kept before
 * it, a hash router, document.open()). Asserts on what the collector stored: every event once, by id.
 */
import { expect, it } from 'vitest';
import { pageErrors, useStack } from './harness.ts';
import { eventually } from './stack.ts';

const env = useStack({ pages: 'tests' });

type Row = { id: string; type: string; url: string; title: string; referrer: string | null; data: Record<string, unknown> };
const rows = () =>
  env.stack.collector.db.query<Row>(`select id, type, url, title, referrer, data from events where site_id = $1 order by ts, received_at`, [env.stack.siteId]);

it('throws nothing into a hostile page and delivers its events: views of a hash router, clicks after document.open()', async () => {
  const page = await env.browser.newPage();
  const errors = pageErrors(page);
  await page.goto(`${env.stack.siteUrl}/wild.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => (window as { __kizunaLib1?: unknown }).__kizunaLib1); // the signals chunk, under the CSP
  await page.waitForTimeout(1200);
  for (const route of ['/faq', '/pricing', '/contact']) {
    await page.evaluate((r) => (window as unknown as { go(r: string): void }).go(r), route);
    await page.waitForTimeout(600);
  }
  await page.evaluate(() => (window as unknown as { go(r: string, replace: boolean): void }).go('/contact/sent', true));
  await page.waitForTimeout(600);
  expect(await page.evaluate(() => (window as { libPatchRan?: number }).libPatchRan)).toBe(1);
  await page.click('#buy');
  // a late document.write page: the document is replaced, its window's listeners erased
  await page.evaluate(() => {
    document.open();
    document.write('<!doctype html><title>Wild rewritten</title><button id="again" data-kizuna-event="Again">Again</button>');
    document.close();
  });
  await page.waitForTimeout(300);
  await page.click('#again');
  await page.waitForTimeout(300);
  await page.close({ runBeforeUnload: true }); // page hide: everything left goes out

  const stored = await eventually(async () => {
    const r = await rows();
    return r.some((e) => e.type === 'custom' && e.data.name === 'Again') && r.some((e) => e.type === 'pageleave') ? r : undefined;
  });
  expect(errors).toEqual([]);
  const views = stored.filter((e) => e.type === 'pageview');
  expect(views.map((e) => [new URL(e.url).hash, e.title])).toEqual([
    ['', 'Wild home'],
    ['#/faq', 'Wild /faq'],
    ['#/pricing', 'Wild /pricing'],
    ['#/contact', 'Wild /contact'],
    ['#/contact/sent', 'Wild /contact/sent'],
  ]);
  expect(stored.filter((e) => e.type === 'custom').map((e) => e.data.name)).toEqual(['Buy', 'Again']);
  expect(new Set(stored.map((e) => e.id)).size).toBe(stored.length);
  console.log(`wild page: ${stored.length} events stored, ${views.length} page views, types ${[...new Set(stored.map((e) => e.type))].join(', ')}`);
});
