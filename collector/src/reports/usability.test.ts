/**
 * The usability report from a hand-computed fixture sent through the real ingest endpoint
 * (DEFINITIONS: page loads — p75, ratings, mobile < 768 px, page grouping; navigation friction —
 * kinds, hot spots, not_found, loop, frustrated session).
 *
 * Histogram arithmetic used below: bucket = floor(ln(1 + v × scale) × 40), shown value =
 * (exp((bucket + 0.5) / 40) − 1) / scale, scale 1000 for CLS else 1. E.g. LCP 3000 → bucket 320 →
 * 3017.45 → 3017. Each threshold is pinned by the buckets either side of it: LCP 2480 → 2470 (good),
 * LCP 2540 → 2533 (needs improvement), and so on for every metric and both thresholds.
 */
import { sql } from 'drizzle-orm';
import type { WireEvent } from '@kizuna/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { markDirty } from '../db/rollup-queue.ts';
import { BOM } from '../lib/csv.ts';
import { tableCsv } from './table.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite, query } from '../testing/db.ts';
import type { ReportRange } from './range.ts';
import { tables, fullWeeks, usabilityReport, type PageVitals, type Usability, type VitalFigure, type VitalName } from './usability.ts';
import { NOW } from '../testing/clock.ts';

// "now" is 2026-11-10 12:00 UTC = 21:00 in Tokyo. at(9, h) for h < 15 is 9 Nov in Tokyo, at(10, h) 10 Nov,
// at(8, h) 8 Nov: outside the range 9–10 Nov, but within the 7 days ingest accepts.
const at = (day: number, hour: number) => Date.UTC(2026, 10, day, hour);
const MOBILE = 767; // DEFINITIONS: a viewport narrower than 768 px is mobile …
const DESKTOP = 768; // … and 768 px is desktop

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let report: Usability;

type Then = { type: WireEvent['type']; data: Record<string, unknown>; url?: string };

/** One visitor's batch: a view of `url` in a viewport `vw` px wide at `ts`, then `then` a second apart. */
async function visit(visitor: string, ts: number, vw: number, url: string, then: Then[], to = site) {
  const events = [
    event({ ts, url: `https://s.example${url}`, data: { vw } }),
    ...then.map((e, i) => event({ ts: ts + (i + 1) * 1000, type: e.type, url: `https://s.example${e.url ?? url}`, data: e.data })),
  ];
  const res = await app.request('/api/v1/events', beaconInit(batch(to.id, events, { visitor, sentAt: NOW }), to.origin));
  expect(res.status).toBe(202);
}

const vital = (name: VitalName, value: number, rating: string): Then => ({ type: 'vital', data: { name, value, rating } });
const vitals = (values: Record<VitalName, number>, rating: string) =>
  (Object.entries(values) as [VitalName, number][]).map(([name, value]) => vital(name, value, rating));
const friction = (kind: string, selector?: string, count = 1, url?: string): Then => ({ type: 'friction', data: { kind, selector, count }, url });
const view = (url: string): Then => ({ type: 'pageview', data: {}, url });

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });

  // /pricing on mobile, LCP over two days: 9 Nov 1000 and 9000, 10 Nov 2000 and 3000. Nearest rank of
  // the merged histogram: the 3rd of 4 (3 / 4 = 75 % reached) → 3017, needs improvement. A p75 that
  // needed > 75 % would take 9000; daily p75s would be 9000 and 3000. 8 Nov's 20000 is outside the range.
  await visit('m1', at(9, 1), MOBILE, '/pricing?plan=pro', [vital('LCP', 1000, 'good')]);
  await visit('m2', at(9, 2), MOBILE, '/pricing', [vital('LCP', 9000, 'poor')]);
  await visit('m3', at(10, 1), MOBILE, '/pricing', [vital('LCP', 2000, 'good')]);
  await visit('m4', at(10, 2), MOBILE, '/pricing', [vital('LCP', 3000, 'needs-improvement')]);
  await visit('m0', at(8, 3), MOBILE, '/pricing', [vital('LCP', 20000, 'poor')]);
  // Each metric just within "good" (the highest bucket whose value is ≤ the good threshold) …
  await visit('d1', at(9, 3), DESKTOP, '/pricing', vitals({ LCP: 2480, INP: 196, CLS: 0.099, FCP: 1790, TTFB: 780 }, 'good'));
  // … just over it (ids folded: /product/123 is /product/:id) …
  await visit('d2', at(9, 4), DESKTOP, '/product/123?ref=mail', vitals({ LCP: 2540, INP: 203, CLS: 0.102, FCP: 1830, TTFB: 805 }, 'needs-improvement'));
  // … just within the poor threshold …
  await visit('m5', at(9, 5), MOBILE, '/product/456', vitals({ LCP: 3980, INP: 495, CLS: 0.245, FCP: 2950, TTFB: 1790 }, 'needs-improvement'));
  // … and just over it.
  await visit('m6', at(10, 3), MOBILE, '/checkout', vitals({ LCP: 4050, INP: 510, CLS: 0.253, FCP: 3020, TTFB: 1830 }, 'poor'));
  // Seven more pages with one LCP each, so that only 10 of 12 make the slowest pages; /about has no LCP.
  const guides = { a: 500, b: 600, c: 700, d: 800, e: 900, f: 1100, g: 1200 };
  await visit('d3', at(10, 4), DESKTOP, '/about', [
    vital('TTFB', 300, 'good'),
    ...Object.entries(guides).flatMap(([page, lcp]) => [view(`/guide/${page}`), { ...vital('LCP', lcp, 'good'), url: `/guide/${page}` }]),
  ]);

  // Friction. f1: 2 rage bursts (3 and 4 clicks) and a dead click → 3 events, frustrated.
  await visit('f1', at(9, 6), MOBILE, '/pricing', [friction('rage_click', 'button.buy', 3), friction('rage_click', 'button.buy', 4), friction('dead_click', 'a.help')]);
  // f2: 2 events → not frustrated (≥ 3 needed).
  await visit('f2', at(10, 5), DESKTOP, '/pricing', [friction('dead_click', 'a.help'), view('/product/1'), friction('quick_back', undefined, 1, '/product/1')]);
  // f3: 51 dead clicks on 51 elements → frustrated; 51 hot spots of 1, so the top 50 cuts some.
  const selectors = Array.from({ length: 51 }, (_, i) => `#q${String(i + 1).padStart(2, '0')}`);
  await visit('f3', at(10, 6), DESKTOP, '/faq', selectors.map((s) => friction('dead_click', s)));
  // 404s: /missing once on mobile and once on desktop, /old-page once (with an excessive scroll of 5 turns) …
  await visit('f4', at(9, 7), MOBILE, '/missing', [friction('not_found')]);
  await visit('f5', at(10, 7), DESKTOP, '/missing', [friction('not_found')]);
  await visit('f6', at(10, 8), DESKTOP, '/old-page', [friction('not_found'), friction('excessive_scroll', 'main', 5)]);
  // … and on 8 Nov, outside the range: 2 more on /old-page and an error click (frustrated, but not counted).
  await visit('f7', at(8, 4), DESKTOP, '/old-page', [friction('not_found'), friction('not_found'), friction('error_click', 'button.pay')]);

  // Loops: /loop/a viewed 3 times in one session is a loop; twice is not.
  await visit('l1', at(9, 8), DESKTOP, '/loop/a', [view('/loop/b'), view('/loop/a'), view('/loop/a')]);
  await visit('l2', at(10, 9), DESKTOP, '/loop/a', [view('/loop/b'), view('/loop/a')]);

  await refreshRollups(db, { siteId: site.id });
  const range: ReportRange = { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-09', to: '2026-11-10' };
  report = await usabilityReport(db.driver, range);
});
afterAll(() => db.close());

const page = (path: string, device: string) => report.pages.find((p) => p.path === path && p.device === device);
const fig = (p75: number, rating: VitalFigure['rating'], good: number, needsImprovement: number, poor: number): VitalFigure => ({
  p75, rating, samples: good + needsImprovement + poor, good, needsImprovement, poor,
});
const none: VitalFigure = { p75: null, rating: null, samples: 0, good: 0, needsImprovement: 0, poor: 0 };

describe('reports/usability', () => {
  it('takes the p75 as the nearest rank of the histogram summed over the range', () => {
    expect(page('/pricing', 'mobile')).toEqual<PageVitals>({
      path: '/pricing',
      device: 'mobile',
      vitals: { lcp: fig(3017, 'needs-improvement', 2, 1, 1), inp: none, cls: none, fcp: none, ttfb: none },
    });
  });

  it('reads whole weeks from the weekly rollup and the other days from the daily one, to the same figures', async () => {
    // 2–10 Nov: the week of 2–8 Nov (Monday to Sunday) whole, then 9 and 10 Nov; 3–10 Nov holds no whole week.
    // /pricing on mobile then also has 8 Nov's 20000: 1000, 2000, 3000, 9000, 20000 → the 4th (4 / 5 ≥ 75 %) → 9067.
    const weeks = await query(db, sql`select metric from rollup_vitals_weeks where site_id = ${site.id} and week = '2026-11-02' and path = '/pricing' and device = 'mobile'`);
    expect(weeks).toEqual([{ metric: 'LCP' }]);
    for (const from of ['2026-11-02', '2026-11-03']) {
      const r = await usabilityReport(db.driver, { siteId: site.id, timezone: 'Asia/Tokyo', from, to: '2026-11-10' });
      expect(r.pages.find((p) => p.path === '/pricing' && p.device === 'mobile')!.vitals.lcp, from).toEqual(fig(9067, 'poor', 2, 1, 2));
    }
    expect(fullWeeks({ from: '2026-11-02', to: '2026-11-10' })).toEqual(['2026-11-02', '2026-11-02']);
    expect(fullWeeks({ from: '2026-11-03', to: '2026-11-15' })).toEqual(['2026-11-09', '2026-11-09']);
    expect(fullWeeks({ from: '2026-11-03', to: '2026-11-14' })).toEqual([null, null]);
    expect(fullWeeks({ from: '2026-10-25', to: '2026-11-23' })).toEqual(['2026-10-26', '2026-11-16']);
  });

  it('keeps a week whole when two rollup jobs rebuild two of its days at once', async () => {
    const days = ['2026-11-09', '2026-11-10'];
    await markDirty(db.sql, site.id, days);
    await Promise.all(days.map((day) => refreshRollups(db, { siteId: site.id, from: day, to: day, now: NOW })));
    // 9–15 Nov is a whole week: read from rollup_vitals_weeks alone, it holds both days' samples
    const week = await usabilityReport(db.driver, { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-09', to: '2026-11-15' });
    expect(week.pages.find((p) => p.path === '/pricing' && p.device === 'mobile')!.vitals.lcp).toEqual(fig(3017, 'needs-improvement', 2, 1, 1));
  });

  it('rates each p75 by the DEFINITIONS thresholds, on both sides of each', () => {
    expect(page('/pricing', 'desktop')!.vitals).toEqual({
      lcp: fig(2470, 'good', 1, 0, 0),
      inp: fig(197, 'good', 1, 0, 0),
      cls: fig(0.1, 'good', 1, 0, 0),
      fcp: fig(1785, 'good', 1, 0, 0),
      ttfb: fig(782, 'good', 1, 0, 0),
    });
    expect(page('/product/:id', 'desktop')!.vitals).toEqual({
      lcp: fig(2533, 'needs-improvement', 0, 1, 0),
      inp: fig(202, 'needs-improvement', 0, 1, 0),
      cls: fig(0.102, 'needs-improvement', 0, 1, 0),
      fcp: fig(1830, 'needs-improvement', 0, 1, 0),
      ttfb: fig(801, 'needs-improvement', 0, 1, 0),
    });
    expect(page('/product/:id', 'mobile')!.vitals).toEqual({
      lcp: fig(3973, 'needs-improvement', 0, 1, 0),
      inp: fig(498, 'needs-improvement', 0, 1, 0),
      cls: fig(0.247, 'needs-improvement', 0, 1, 0),
      fcp: fig(2943, 'needs-improvement', 0, 1, 0),
      ttfb: fig(1785, 'needs-improvement', 0, 1, 0),
    });
    expect(page('/checkout', 'mobile')!.vitals).toEqual({
      lcp: fig(4073, 'poor', 0, 0, 1),
      inp: fig(511, 'poor', 0, 0, 1),
      cls: fig(0.253, 'poor', 0, 0, 1),
      fcp: fig(3017, 'poor', 0, 0, 1),
      ttfb: fig(1830, 'poor', 0, 0, 1),
    });
  });

  it('lists every page and device class with a sample, most samples first', () => {
    expect(report.pages.map((p) => `${p.path} ${p.device}`)).toEqual([
      '/checkout mobile', '/pricing desktop', '/product/:id desktop', '/product/:id mobile', // 5 samples
      '/pricing mobile', // 4
      '/about desktop', '/guide/a desktop', '/guide/b desktop', '/guide/c desktop', '/guide/d desktop', '/guide/e desktop',
      '/guide/f desktop', '/guide/g desktop',
    ]);
    expect(page('/about', 'desktop')!.vitals).toMatchObject({ lcp: none, ttfb: fig(302, 'good', 1, 0, 0) });
  });

  it('ranks the 10 slowest page-device pairs by LCP p75, pages without LCP left out', () => {
    expect(report.slowestPages.map(({ path, device, lcpP75Ms, rating, samples }) => [path, device, lcpP75Ms, rating, samples])).toEqual([
      ['/checkout', 'mobile', 4073, 'poor', 1],
      ['/product/:id', 'mobile', 3973, 'needs-improvement', 1],
      ['/pricing', 'mobile', 3017, 'needs-improvement', 4],
      ['/product/:id', 'desktop', 2533, 'needs-improvement', 1],
      ['/pricing', 'desktop', 2470, 'good', 1],
      ['/guide/g', 'desktop', 1196, 'good', 1],
      ['/guide/f', 'desktop', 1109, 'good', 1],
      ['/guide/e', 'desktop', 908, 'good', 1],
      ['/guide/d', 'desktop', 801, 'good', 1],
      ['/guide/c', 'desktop', 707, 'good', 1],
    ]);
  });

  it('counts friction events per kind, and the clicks or turns they carry', () => {
    expect(report.friction).toEqual([
      { kind: 'rage_click', count: 2, total: 7 },
      { kind: 'dead_click', count: 53, total: 53 },
      { kind: 'quick_back', count: 1, total: 1 },
      { kind: 'error_click', count: 0, total: 0 },
      { kind: 'not_found', count: 3, total: 3 },
      { kind: 'excessive_scroll', count: 1, total: 5 },
    ]);
  });

  it('lists the 50 hot spots with the most friction events, summed over days', () => {
    expect(report.hotSpots).toHaveLength(50);
    expect(report.hotSpots.slice(0, 5)).toEqual([
      { path: '/pricing', selector: 'button.buy', kind: 'rage_click', count: 2, total: 7 },
      { path: '/missing', selector: '', kind: 'not_found', count: 2, total: 2 },
      { path: '/pricing', selector: 'a.help', kind: 'dead_click', count: 2, total: 2 }, // 9 and 10 Nov
      { path: '/old-page', selector: 'main', kind: 'excessive_scroll', count: 1, total: 5 },
      { path: '/faq', selector: '#q01', kind: 'dead_click', count: 1, total: 1 },
    ]);
    expect(report.hotSpots[49]).toEqual({ path: '/faq', selector: '#q46', kind: 'dead_click', count: 1, total: 1 });
  });

  it('lists 404 pages, both device classes together, most first', () => {
    expect(report.notFound).toEqual([
      { path: '/missing', count: 2 },
      { path: '/old-page', count: 1 },
    ]);
  });

  it('counts loop sessions (a page viewed ≥ 3 times) and frustrated sessions (≥ 3 friction events)', () => {
    expect(report).toMatchObject({ loopSessions: 1, frustratedSessions: 2 });
  });

  it('makes its CSV of the per-page table', () => {
    const [header, first] = tableCsv(tables.pages, report).slice(BOM.length).split('\r\n');
    expect(header).toBe(
      'path,device,' +
        [['lcp', 'Ms'], ['inp', 'Ms'], ['cls', ''], ['fcp', 'Ms'], ['ttfb', 'Ms']]
          .map(([m, unit]) => [`P75${unit}`, 'Rating', 'Samples', 'Good', 'NeedsImprovement', 'Poor'].map((c) => m + c).join(','))
          .join(','),
    );
    expect(first).toBe(
      '/checkout,mobile,4073,poor,1,0,0,1,511,poor,1,0,0,1,0.253,poor,1,0,0,1,3017,poor,1,0,0,1,1830,poor,1,0,0,1',
    );
    expect(tables.pages(report).find((r) => r.path === '/pricing' && r.device === 'mobile')).toMatchObject({ lcpP75Ms: 3017, inpP75Ms: null, inpSamples: 0 });
  });

  // Needs a change in aggregate/rollups.ts: the rollup_vitals statement counts good / needs-improvement /
  // poor by the `rating` the browser sent (`data->>'rating'`), so a broken or forged client decides the
  // counts, and a site's own thresholds could never apply. It should rate `(data->>'value')::float8`
  // with the DEFINITIONS thresholds of `data->>'name'` (VITAL_THRESHOLDS here). Turn into `it` then.
  it('rates each sample on the collector by the DEFINITIONS thresholds, not by the rating the browser sent', async () => {
    const other = await testSite(db, { timezone: 'Asia/Tokyo' });
    await visit('x1', at(10, 10), DESKTOP, '/pricing', [vital('LCP', 9000, 'good'), vital('INP', 100, 'poor')], other);
    await refreshRollups(db, { siteId: other.id });
    const r = await usabilityReport(db.driver, { siteId: other.id, timezone: 'Asia/Tokyo', from: '2026-11-10', to: '2026-11-10' });
    expect(r.pages[0]!.vitals).toMatchObject({ lcp: fig(9067, 'poor', 0, 0, 1), inp: fig(100, 'good', 1, 0, 0) });
  });
});
