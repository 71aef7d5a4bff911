/**
 * The FAQ report from a hand-computed fixture sent through the real ingest endpoint (DEFINITIONS:
 * FAQ view, article id, FAQ search and failed search, helpfulness, self-service rate, escalation,
 * self-service score).
 */
import type { WireEvent } from '@kizuna/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { BOM } from '../lib/csv.ts';
import { tableCsv } from './table.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite } from '../testing/db.ts';
import { tables, faqReport, type Faq } from './faq.ts';
import { NOW } from '../testing/clock.ts';

// "now" is 2026-11-10 12:00 UTC = 21:00 in Tokyo. at(9, h) for h < 15 is 9 Nov in Tokyo, at(10, h) 10 Nov,
// at(8, h) 8 Nov: outside the range 9–10 Nov, but within the 7 days ingest accepts.
const at = (day: number, hour: number) => Date.UTC(2026, 10, day, hour);
const RANGE = { timezone: 'Asia/Tokyo', from: '2026-11-09', to: '2026-11-10' };

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let report: Faq;

type Step = { type: WireEvent['type']; path: string; data?: Record<string, unknown>; title?: string };

/** One visitor's session: its steps a second apart from `ts`. */
async function visit(visitor: string, ts: number, steps: Step[], to = site) {
  const events = steps.map((s, i) => event({ ts: ts + i * 1000, type: s.type, url: `https://s.example${s.path}`, data: s.data ?? {}, title: s.title ?? 'Help' }));
  const res = await app.request('/api/v1/events', beaconInit(batch(to.id, events, { visitor, sentAt: NOW }), to.origin));
  expect(res.status).toBe(202);
}

const page = (path: string, title?: string): Step => ({ type: 'pageview', path, title });
const faqView = (path: string, article?: string, title?: string): Step => ({ type: 'faq', path, data: { action: 'view', article, title } });
const vote = (path: string, article: string, helpful: boolean): Step => ({ type: 'faq', path, data: { action: 'vote', article, helpful } });
const search = (query: string, results?: number): Step => ({ type: 'faq', path: '/faq', data: { action: 'search', query, results } });
const support = (path: string): Step => ({ type: 'support', path, data: { via: 'click', selector: '[data-kizuna-support="chat"]' } });

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });

  // v1: reads "returns", finds it helpful, needs no support → self-served.
  await visit('v1', at(9, 1), [page('/faq/returns'), faqView('/faq/returns', 'returns', 'Returns'), vote('/faq/returns', 'returns', true)]);
  // v2: reads it, finds it helpful, then opens the chat → an escalation.
  await visit('v2', at(9, 2), [page('/faq'), faqView('/faq', 'returns', 'Returns'), vote('/faq', 'returns', true), support('/faq')]);
  // v3: contacted support first, then read the FAQ and voted no: no contact after the FAQ → self-served.
  await visit('v3', at(10, 1), [page('/contact'), support('/contact'), page('/faq'), faqView('/faq', 'returns', 'Returns'), vote('/faq', 'returns', false)]);
  // v4: support only.
  await visit('v4', at(10, 2), [page('/contact'), support('/contact')]);
  // v5: "shipping", and a FAQ page with no article id: the article is its path.
  await visit('v5', at(10, 3), [page('/faq/shipping'), faqView('/faq/shipping', 'shipping', 'Shipping'), page('/faq/payments'), faqView('/faq/payments')]);
  // v6: votes twice without a FAQ view: the votes count, the session is no FAQ session.
  await visit('v6', at(10, 4), [page('/faq/sizes'), vote('/faq/sizes', 'sizes', false), vote('/faq/sizes', 'sizes', false)]);
  // v7: searches, no FAQ view. "return label" 3 times (trimmed, lower-cased), once with 0 results and
  // once with no count (not a failed search); "refund" failed; then 101 other queries once each, so
  // the top 100 leaves "refund" and q100, q101 out.
  const others = Array.from({ length: 101 }, (_, i) => search(`q${String(i + 1).padStart(3, '0')}`, 5));
  await visit('v7', at(10, 5), [page('/faq'), search('  Return Label ', 3), search('return label', 0), search('RETURN LABEL'), search('refund', 0), ...others]);
  // v0, 8 Nov, outside the range: an escalation, a "no" for returns and a failed search.
  await visit('v0', at(8, 3), [page('/faq'), faqView('/faq', 'returns', 'Returns'), vote('/faq', 'returns', false), search('return label', 0), support('/faq')]);

  await refreshRollups(db, { siteId: site.id });
  report = await faqReport(db.driver, { siteId: site.id, ...RANGE });
});
afterAll(() => db.close());

describe('reports/faq', () => {
  it('counts views and votes per article, helpfulness = yes / (yes + no)', () => {
    expect(report.articles.map(({ article, views, helpful, notHelpful, helpfulness }) => [article, views, helpful, notHelpful, helpfulness])).toEqual([
      ['returns', 3, 2, 1, 0.667],
      ['/faq/payments', 1, 0, 0, null], // no data-kizuna-faq id: the page path
      ['shipping', 1, 0, 0, null], // no vote: no helpfulness, rather than 0
      ['sizes', 0, 0, 2, 0],
    ]);
    expect(report.articles.find((a) => a.article === 'shipping')!.title).toBe('Shipping');
  });

  it('lists the 100 most frequent searches with their failed (0-result) counts', () => {
    expect(report.searches).toHaveLength(100);
    expect(report.searches[0]).toEqual({ query: 'return label', count: 3, zeroResults: 1 });
    expect(report.searches[1]).toEqual({ query: 'q001', count: 1, zeroResults: 0 });
    expect(report.searches[99]).toEqual({ query: 'q099', count: 1, zeroResults: 0 });
  });

  it('totals searches and failed searches over every query, listed or not', () => {
    expect(report).toMatchObject({ totalSearches: 105, failedSearches: 2 });
  });

  it('computes self-service rate, escalations and self-service score from sessions', () => {
    expect(report).toMatchObject({
      faqSessions: 4, // v1, v2, v3, v5
      selfServedSessions: 3, // v1, v3 (support before the FAQ only), v5
      selfServiceRate: 0.75,
      escalations: 1, // v2
      supportSessions: 3, // v2, v3, v4
      selfServiceScore: 1.333, // 4 FAQ sessions / 3 support sessions
    });
  });

  it('answers null rates, not 0, when nothing was seen', async () => {
    const empty = await faqReport(db.driver, { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-01', to: '2026-11-02' });
    expect(empty).toMatchObject({
      articles: [],
      searches: [],
      totalSearches: 0,
      failedSearches: 0,
      faqSessions: 0,
      selfServiceRate: null,
      supportSessions: 0,
      selfServiceScore: null,
    });
  });

  it('makes its CSV of the per-article table', () => {
    const [header, first] = tableCsv(tables.articles, report).slice(BOM.length).split('\r\n');
    expect(header).toBe('article,title,views,helpful,notHelpful,helpfulness');
    expect(first).toBe('returns,Returns,3,2,1,0.667');
  });

  // Needs a change in aggregate/rollups.ts: rollup_faq.title is max(coalesce(data->>'title', title))
  // over views and votes, so a vote (which carries no article title) brings in its page's title and
  // the greater string wins. It should be the item's own title, else the title of a page that viewed
  // it: coalesce(max(data->>'title'), max(title) filter (where data->>'action' = 'view')). Turn into `it` then.
  it('names an article by its own title, not by the title of the page a vote was cast on', async () => {
    const other = await testSite(db, { timezone: 'Asia/Tokyo' });
    await visit('t1', at(10, 6), [
      { ...page('/help'), title: 'Whole help centre' },
      { ...faqView('/help', 'returns', 'Returns'), title: 'Whole help centre' },
      { ...vote('/help', 'returns', true), title: 'Whole help centre' },
    ], other);
    await refreshRollups(db, { siteId: other.id });
    const r = await faqReport(db.driver, { siteId: other.id, ...RANGE });
    expect(r.articles[0]).toMatchObject({ article: 'returns', title: 'Returns' });
  });
});
