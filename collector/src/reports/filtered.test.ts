/**
 * Filtered reports (CONTRACT §4 filters), checked against their meaning rather than a hand count:
 * a report of a site filtered by a session's channel, network, device or landing page equals the
 * same report, unfiltered, of a site that received only the traffic of the matching visitors. Every
 * visitor here comes through one channel, on one device, to one landing page, so "the matching
 * sessions" and "the matching visitors' traffic" are the same thing.
 */
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '@kizuna/protocol';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { markDirty } from '../db/rollup-queue.ts';
import { sessionJourneys } from '../db/schema.ts';
import { setGoals } from '../sites/goals.ts';
import { batch, beaconInit, CHROME_UA, event } from '../testing/beacon.ts';
import { NOW, at } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const INSTAGRAM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.0.0.0 (iPhone14,2; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 537288532)';

/** How a visitor arrives, each time: its referrer, or the query of its landing URL. */
const ARRIVALS = [
  { channel: 'Organic Social', network: 'x', referrer: 'https://t.co/abc' },
  { channel: 'Organic Search', referrer: 'https://search.yahoo.co.jp/search?p=kizuna+returns' },
  { channel: 'Direct' },
  { channel: 'Email', query: '?utm_source=newsletter&utm_medium=email&utm_campaign=november&utm_content=hero' },
  { channel: 'Organic Social', network: 'instagram', referrer: 'https://l.instagram.com/' },
  { channel: 'Organic Search', referrer: 'https://www.google.com/' },
] as const;
const LANDINGS = ['/', '/pricing', '/faq/returns'];

interface Visitor {
  id: string;
  mobile: boolean;
  arrival: (typeof ARRIVALS)[number];
  landing: string;
  userAgent: string;
  sessions: number;
}

/** 30 visitors, each with one arrival, device and landing page, in different combinations. */
const VISITORS: Visitor[] = Array.from({ length: 30 }, (_, i) => {
  const arrival = ARRIVALS[i % ARRIVALS.length]!;
  const mobile = i % 4 === 1 || i % 4 === 2;
  const inApp = mobile && 'network' in arrival && arrival.network === 'x' && i % 8 === 1;
  return {
    id: `v${i}`,
    mobile,
    arrival,
    landing: LANDINGS[i % 5 % LANDINGS.length]!,
    userAgent: inApp ? INSTAGRAM_UA : mobile ? IPHONE_UA : CHROME_UA,
    sessions: 1 + (i % 3 === 0 ? 1 : 0) + (i % 7 === 0 ? 1 : 0),
  };
});

/**
 * The visitor's events: sessions on different days, each landing the same way, with pages, goals,
 * shares, answers, Web Vitals, friction, FAQ reading and support contacts.
 */
function trafficOf(v: Visitor, i: number): WireEvent[] {
  const events: WireEvent[] = [];
  for (let s = 0; s < v.sessions; s++) {
    const start = at(9 - s * 2, 1 + (i % 10), i % 50);
    let t = start;
    const step = (path: string, type: WireEvent['type'] = 'pageview', data: Record<string, unknown> = {}, referrer: string | null = null) =>
      events.push(event({ ts: (t += 7000), type, url: `https://s.example${path}`, referrer, data }));
    const query = 'query' in v.arrival ? v.arrival.query : '';
    step(`${v.landing}${query}`, 'pageview', {}, 'referrer' in v.arrival ? v.arrival.referrer : null);
    const lcp = 900 + ((i * 577 + s * 1301) % 5200);
    step(v.landing, 'vital', { name: 'LCP', value: lcp, rating: lcp <= 2500 ? 'good' : lcp <= 4000 ? 'needs-improvement' : 'poor' });
    if (i % 3 !== 2) step(v.landing, 'vital', { name: 'CLS', value: ((i * 37) % 40) / 100, rating: 'good' });
    // friction: a rage burst (three of them make a frustrated session), dead clicks, a 404
    for (let k = 0; k < ((i + s) % 5 === 0 ? 3 : (i + s) % 4 === 1 ? 1 : 0); k++) step(v.landing, 'friction', { kind: 'rage_click', selector: 'button.buy', count: 3 + k });
    if (i % 4 === 3) step(v.landing, 'friction', { kind: 'dead_click', selector: i % 8 === 3 ? 'a.help' : 'span.price' });
    if ((i + s) % 6 === 4) {
      step('/old-page', 'pageview');
      step('/old-page', 'friction', { kind: 'not_found' });
    }
    // FAQ: an article read and voted on, searches (some failing), and a support contact before or after
    if ((i + s) % 3 === 1) {
      if (i % 5 === 1) step('/contact', 'support', { via: 'page' });
      step('/faq/returns', 'faq', { action: 'view', article: i % 2 ? 'returns' : 'shipping', title: i % 2 ? 'Returns' : 'Shipping' });
      step('/faq/returns', 'faq', { action: 'vote', article: i % 2 ? 'returns' : 'shipping', helpful: i % 3 === 0 });
      step('/faq', 'faq', { action: 'search', query: i % 4 ? 'Refund ' : 'gift wrap', results: i % 4 ? 3 : 0 });
      if (i % 5 === 3) step('/contact', 'support', { via: 'click', selector: 'button.chat' });
    }
    if ((i + s) % 2 === 0) step('/pricing');
    if ((i + s) % 3 === 0) {
      step('/signup');
      if ((i + s) % 2 === 0) step('/signup', 'custom', { name: 'Signup', props: { plan: i % 2 ? 'pro' : 'free' } });
    }
    if (i % 5 === 2) step('/pricing', 'custom', { name: 'Newsletter' });
    // a journey longer than the 50 steps a journey keeps, converting after them
    if (i === LONG_JOURNEY) {
      for (let k = 0; k < 55; k++) step(k % 2 ? '/compare' : '/features');
      step('/compare', 'custom', { name: 'Signup' });
    }
    if ((i + s) % 4 === 1) step('/pricing', 'share', { network: i % 2 ? 'line' : 'x' });
    if (i % 6 === 3 && s === 0) step('/', 'nps', { score: i % 11, ...(i % 4 === 3 ? { comment: `comment of v${i}` } : {}) });
    if (i % 6 === 0 && s === 0) step('/', 'nps', { score: 10 - (i % 11) });
    step(v.landing, 'pageleave', { engaged: ((i + s) * 1700) % 15_000, scroll: 60 });
  }
  return events;
}

/** The visitor whose journey converts past its 50th step (mobile, from Google, landing on /pricing). */
const LONG_JOURNEY = 29;

let db: Db;
let app: ReturnType<typeof createApp>;

async function siteWith(visitors: Visitor[]) {
  const site = await testSite(db, { timezone: 'Asia/Tokyo', origin: 'https://s.example' });
  await setGoals(db.sql, site.id, ['Signup', '/signup']);
  for (const v of visitors) {
    const body = batch(site.id, trafficOf(v, VISITORS.indexOf(v)), { visitor: v.id, sentAt: NOW });
    const res = await app.request('/api/v1/events', beaconInit(body, site.origin, v.userAgent));
    expect(res.status).toBe(202);
  }
  return site;
}

const FILTERS: { query: string; matches: (v: Visitor) => boolean }[] = [
  { query: 'device=mobile', matches: (v) => v.mobile },
  { query: 'network=x', matches: (v) => 'network' in v.arrival && v.arrival.network === 'x' },
  { query: 'channel=Organic%20Search', matches: (v) => v.arrival.channel === 'Organic Search' },
  { query: 'page=/pricing', matches: (v) => v.landing === '/pricing' },
  { query: 'device=desktop&page=/', matches: (v) => !v.mobile && v.landing === '/' },
];
const REPORTS = ['overview', 'acquisition', 'goals', 'journeys?steps=/pricing,/signup,event:Signup', 'events', 'nps', 'usability', 'faq', 'visitors'];

let all: Awaited<ReturnType<typeof siteWith>>;
const only = new Map<string, Awaited<ReturnType<typeof siteWith>>>();

async function report(site: { id: string; token: string }, name: string, filter = '') {
  const [path, params = ''] = name.split('?');
  const query = [params, filter, 'from=2026-11-04&to=2026-11-10'].filter(Boolean).join('&');
  const res = await app.request(`/api/v1/sites/${site.id}/reports/${path}?${query}`, { headers: { authorization: `Bearer ${site.token}` } });
  expect(res.status, `${name} ${filter}`).toBe(200);
  const { site: _, ...body } = await res.json();
  return body;
}

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  all = await siteWith(VISITORS);
  for (const f of FILTERS) only.set(f.query, await siteWith(VISITORS.filter(f.matches)));
  await refreshRollups(db, { now: NOW });
}, 120_000);
afterAll(() => db.close());

describe('filtered reports', () => {
  it('the traffic covers every filter with some sessions kept and some left out', () => {
    expect(VISITORS[LONG_JOURNEY]).toMatchObject({ mobile: true, landing: '/pricing', arrival: { channel: 'Organic Search' } });
    for (const f of FILTERS) {
      const kept = VISITORS.filter(f.matches).length;
      expect(kept, f.query).toBeGreaterThan(1);
      expect(kept, f.query).toBeLessThan(VISITORS.length - 1);
    }
  });

  it('the traffic has every figure of usability and FAQ, for the filters to change', async () => {
    const usability = await report(all, 'usability');
    expect(usability).toMatchObject({ loopSessions: 1, notFound: [{ path: '/old-page' }] });
    expect(usability.frustratedSessions).toBeGreaterThan(1);
    expect(usability.pages.length).toBeGreaterThan(3);
    expect(new Set(usability.hotSpots.map((h: { kind: string }) => h.kind))).toEqual(new Set(['rage_click', 'dead_click', 'not_found']));
    const faq = await report(all, 'faq');
    expect(faq.articles).toHaveLength(2);
    expect(faq.escalations).toBeGreaterThan(0);
    expect(faq.selfServedSessions).toBeGreaterThan(faq.escalations);
    expect(faq.failedSearches).toBeGreaterThan(0);
  });

  for (const name of REPORTS)
    for (const f of FILTERS)
      it(`${name} filtered by ${f.query} equals the report of only the matching visitors' traffic`, async () => {
        const filtered = await report(all, name, f.query);
        expect(filtered).toEqual(await report(only.get(f.query)!, name));
        // and the filter did something: the whole site's report differs
        expect(await report(all, name)).not.toEqual(filtered);
      });

  it("a session whose journey holds no facts (written before journeys kept them) has them read from its events", async () => {
    const OUTCOME_REPORTS = ['usability', 'faq'];
    const before = await Promise.all(FILTERS.flatMap((f) => OUTCOME_REPORTS.map((name) => report(all, name, f.query))));
    // half the journeys, as a database migrated from before 0013 holds them until their day is rolled up again
    const J = sessionJourneys;
    const emptied = await db.sql
      .update(J)
      .set({ firstFaq: null, lastSupport: null, friction: null, looped: null })
      .where(and(eq(J.siteId, all.id), sql`${J.sessionId}::text < '8'`))
      .returning({ day: J.day });
    const left = await db.sql.select({ n: sql<number>`count(*)::int` }).from(J).where(and(eq(J.siteId, all.id), isNotNull(J.friction)));
    expect(emptied.length).toBeGreaterThan(10);
    expect(left[0]!.n).toBeGreaterThan(10);
    try {
      const after = await Promise.all(FILTERS.flatMap((f) => OUTCOME_REPORTS.map((name) => report(all, name, f.query))));
      expect(after).toEqual(before);
    } finally {
      // the rollup job writes the facts again
      await markDirty(db.sql, all.id, emptied.map((r) => r.day));
      await refreshRollups(db, { now: NOW });
    }
    expect(await db.sql.select({ n: sql<number>`count(*)::int` }).from(J).where(and(eq(J.siteId, all.id), isNull(J.friction)))).toEqual([{ n: 0 }]);
  });
});

describe('one filter and several read the same sessions', () => {
  /** A mobile session landing on `/` from Google at `start` (ms), its events `step` s apart, crossing midnight when started just before it. */
  const sessionAt = (start: number, step = 10_000): WireEvent[] => {
    let t = start;
    const next = (type: WireEvent['type'], path: string, data: Record<string, unknown> = {}, referrer: string | null = null) =>
      event({ ts: (t += step), type, url: `https://m.example${path}`, referrer, data });
    return [
      next('pageview', '/', {}, 'https://www.google.com/'),
      next('vital', '/', { name: 'LCP', value: 3100, rating: 'needs-improvement' }),
      next('friction', '/', { kind: 'rage_click', selector: 'button.buy', count: 4 }),
      next('faq', '/faq', { action: 'view', article: 'returns', title: 'Returns' }),
      next('faq', '/faq', { action: 'search', query: 'gift wrap', results: 0 }),
      next('vital', '/faq', { name: 'CLS', value: 0.3, rating: 'poor' }),
      next('faq', '/faq', { action: 'vote', article: 'returns', helpful: false }),
      next('share', '/faq', { network: 'line' }),
      next('support', '/contact', { via: 'page' }),
      next('pageleave', '/contact', { engaged: 20_000, scroll: 40 }),
    ];
  };
  // 30 s before midnight in Tokyo (UTC+9) at each edge of 4–9 Nov, and one session inside it
  const JUST_BEFORE = (day: number) => Date.UTC(2026, 10, day, 14, 59, 30);
  const SESSIONS = [JUST_BEFORE(3), at(6, 3), JUST_BEFORE(9)];
  const RANGE = 'from=2026-11-04&to=2026-11-09';

  it('usability, FAQ, acquisition and journeys with one filter (segment rollups) equal the same with two (the kept sessions) at the edges of the range', async () => {
    const site = await testSite(db, { timezone: 'Asia/Tokyo', origin: 'https://m.example' });
    for (const [n, start] of SESSIONS.entries()) {
      const body = batch(site.id, sessionAt(start), { visitor: `m${n}`, sentAt: NOW });
      const res = await app.request("/api/v1/events", beaconInit(body, site.origin, IPHONE_UA));
      expect(res.status, await res.clone().text()).toBe(202);
    }
    await refreshRollups(db, { now: NOW });
    const read = async (name: string, filter: string) => {
      const res = await app.request(`/api/v1/sites/${site.id}/reports/${name}?${filter}&${RANGE}`, {
        headers: { authorization: `Bearer ${site.token}` },
      });
      expect(res.status).toBe(200);
      const { site: _, ...body } = await res.json();
      return body;
    };
    for (const name of ['usability', 'faq', 'acquisition']) {
      const one = await read(name, 'device=mobile');
      expect(one, name).toEqual(await read(name, 'device=mobile&page=/'));
      expect(one, name).toEqual(await read(name, 'channel=Organic%20Search&device=mobile'));
      // without a filter the day rollups count the events after midnight of the session started before the range
      expect(await read(name, ''), name).not.toEqual(one);
    }
    // outcomes: the sessions started in the range (inside it and on its last evening); events: theirs within it
    // (the last evening's search is made after midnight)
    expect(await read('faq', 'device=mobile')).toMatchObject({ escalations: 2, failedSearches: 1 });
    const journeys = await read('journeys', 'steps=/,/faq&device=mobile');
    expect(journeys).toEqual(await read('journeys', 'steps=/,/faq&device=mobile&page=/'));
    expect(journeys).toMatchObject({ sessions: 2, topPaths: [{ pages: ['/'], sessions: 2 }] });
    expect(await read('acquisition', 'device=mobile')).toMatchObject({ channels: [{ channel: 'Organic Search', sessions: 2 }], sharesByNetwork: [{ network: 'line', shares: 1 }] });
  });
});
