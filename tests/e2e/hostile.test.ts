/**
 * Issue #12, "SDK in the wild", in a real Chromium: the hostile conditions of real sites, each on a
 * page of tests/pages/ served through the recording proxy. For each: nothing thrown or logged as an
 * error in the page, every event accepted once by id and stored, and the views it must give.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events as eventsTable } from '../../collector/src/db/schema.ts';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { WireEvent } from '@kizuna/protocol';
import { deliveredOnce, pageErrors, useStack } from './harness.ts';

// the back/forward cache on, which Playwright turns off by default
const env = useStack({ site: async () => fileURLToPath(new URL('../pages', import.meta.url)), bfcache: true });

/** the events of one page of the site (path and query) */
const of = (path: string) => (e: WireEvent) => e.url.startsWith(env.site.url + path) && !e.url.slice(env.site.url.length + path.length).match(/^[^#]/);
const named = (e: WireEvent) => (e.type === 'custom' ? (e.data as { name: string }).name : '');
const views = (events: WireEvent[]) => events.filter((e) => e.type === 'pageview');
/** a page of its own, whose errors are collected; closing it hides it: the SDK sends what it holds */
const open = async () => {
  const page = await env.browser.newPage();
  return { page, errors: pageErrors(page) };
};
const close = (page: Page) => page.close({ runBeforeUnload: true });

it.each(['', '?nonav'])(
  'wild.html%s: Prototype.js toJSON, CSP nonce, fetch and sendBeacon replaced, history patched before and after, a hash router, document.open()',
  async (query) => {
    const { page, errors } = await open();
    await page.goto(`${env.site.url}/wild.html${query}`, { waitUntil: 'load' });
    expect(await page.evaluate(() => !!(window as { navigation?: unknown }).navigation)).toBe(!query);
    await page.waitForTimeout(1200);
    for (const route of ['/faq', '/pricing', '/contact']) {
      await page.evaluate((r) => (window as unknown as { go(r: string): void }).go(r), route);
      await page.waitForTimeout(600);
    }
    await page.evaluate(() => (window as unknown as { go(r: string, replace: boolean): void }).go('/contact/sent', true));
    await page.waitForTimeout(600);
    // the libraries' own patches of pushState (before the SDK) and replaceState (after it) still run
    expect(await page.evaluate(() => [(window as { libBeforeRan?: number }).libBeforeRan, (window as { libPatchRan?: number }).libPatchRan])).toEqual([3, 1]);
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
    await close(page);

    const events = await deliveredOnce(env, of(`/wild.html${query}`), (es) => es.some((e) => named(e) === 'Again') && es.some((e) => e.type === 'pageleave'));
    expect(errors).toEqual([]);
    expect(views(events).map((e) => [new URL(e.url).hash, e.title])).toEqual([
      ['', 'Wild home'],
      ['#/faq', 'Wild /faq'],
      ['#/pricing', 'Wild /pricing'],
      ['#/contact', 'Wild /contact'],
      ['#/contact/sent', 'Wild /contact/sent'],
    ]);
    expect(events.map(named).filter(Boolean)).toEqual(['Buy', 'Again']);
  },
);

it("a CSP with 'strict-dynamic': the SDK's later scripts load, their signals report", async () => {
  const { page, errors } = await open();
  await page.goto(`${env.site.url}/strict-dynamic.html`, { waitUntil: 'load' });
  await page.click('#go'); // data-kizuna-event: heard by kizuna.signals.js
  await page.waitForTimeout(1000); // kizuna.vitals.js, after load
  await close(page);
  const events = await deliveredOnce(env, of('/strict-dynamic.html'), (es) => ['pageview', 'custom', 'timing', 'vital'].every((t) => es.some((e) => e.type === t)));
  expect(errors).toEqual([]);
  expect(events.map(named).filter(Boolean)).toEqual(['StrictClick']);
});

it('the SDK in a cross-site frame (partitioned storage, no first-party cookies): its events and its host page’s', async () => {
  const { page, errors } = await open();
  await page.goto(`${env.site.url}/plain.html?host`, { waitUntil: 'load' });
  // localhost and 127.0.0.1 are two sites to the browser
  const src = `${env.site.url.replace('127.0.0.1', 'localhost')}/frame.html`;
  await page.evaluate((s) => new Promise((resolve) => document.body.append(Object.assign(document.createElement('iframe'), { src: s, onload: resolve }))), src);
  await page.frameLocator('iframe').locator('#go').click();
  await page.waitForTimeout(300);
  await close(page);
  const inFrame = await deliveredOnce(env, (e) => e.url.startsWith(src), (es) => es.some((e) => named(e) === 'FrameClick') && views(es).length > 0);
  await deliveredOnce(env, of('/plain.html?host'), (es) => views(es).length === 1);
  expect(errors).toEqual([]);
  expect(views(inFrame)).toHaveLength(1);
});

it('storage that throws, persistent mode: two loads are one visitor (the collector’s cookieless one), nothing thrown', async () => {
  const { page, errors } = await open();
  await page.goto(`${env.site.url}/no-storage.html`, { waitUntil: 'load' });
  await page.reload({ waitUntil: 'load' });
  await close(page);
  const events = await deliveredOnce(env, of('/no-storage.html'), (es) => views(es).length === 2);
  expect(errors).toEqual([]);
  // no id the SDK could keep: each batch says so, and the collector derives the visitor
  const batches = env.proxy.sent.filter((s) => s.batch.events.some((e) => events.includes(e)));
  expect(new Set(batches.map((s) => s.batch.visitor))).toEqual(new Set([null]));
  const visitors = await env.stack.collector.db.sql
    .selectDistinct({ visitorId: eventsTable.visitorId })
    .from(eventsTable)
    .where(and(eq(eventsTable.siteId, env.stack.siteId), inArray(eventsTable.id, events.map((e) => e.id))));
  expect(visitors).toHaveLength(1);
});

it('a page restored from the back/forward cache is a page view again', async () => {
  const { page, errors } = await open();
  await page.goto(`${env.site.url}/bfcache.html`, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  await page.click('#next');
  await page.waitForURL(/plain\.html$/);
  await page.waitForTimeout(300);
  await page.goBack({ waitUntil: 'commit' }); // a restored page fires no load event
  await page.waitForTimeout(100);
  expect(await page.evaluate(() => (window as { restored?: number }).restored)).toBe(1); // kept whole, not loaded again
  await page.waitForTimeout(300);
  await close(page);
  const events = await deliveredOnce(env, of('/bfcache.html'), (es) => views(es).length === 2);
  expect(errors).toEqual([]);
  expect(views(events).map((e) => (e.data as { nav: string }).nav)).toEqual(['load', 'pop']);
  expect(views(events)[1]!.referrer).toBeNull(); // a document restored: the page it came back from is not its referrer
});

it('a site the collector does not know (issue #15): one console warning saying what to run, then nothing more sent', async () => {
  const { page } = await open();
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.goto(`${env.site.url}/unregistered.html`, { waitUntil: 'load' });
  await page.waitForTimeout(1200); // the page view, sent once the page has rendered
  const kizuna = (...args: unknown[]) => page.evaluate((a) => (window as unknown as { kizuna(...a: unknown[]): unknown }).kizuna(...a), args);
  await kizuna('flush');
  for (let i = 0; i < 25; i++) await kizuna('track', `after-${i}`);
  await kizuna('flush');
  await page.waitForTimeout(300);
  await close(page);
  const refused = env.proxy.sent.filter((s) => s.batch.site === 'unregistered.example');
  expect(refused.map((s) => s.answer)).toEqual([403]);
  // readable by the page (CORS headers on the 403), said once, with the fix
  expect(warnings).toEqual([expect.stringContaining('unknown site: unregistered.example (to add it: kizuna site add unregistered.example --origin ' + env.site.url + ')')]);
});
