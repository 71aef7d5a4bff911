/**
 * The demo's first start (./seed.ts) on an empty PGlite: four weeks through the events endpoint,
 * after which every report a newcomer opens has data — and a second start seeds nothing.
 */
import { count, countDistinct, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { events, rollupQueue, sessions, visitors } from '../db/schema.ts';
import { createGeo } from '../enrich/geo.ts';
import { addSite } from '../sites/index.ts';
import { createToken } from '../sites/tokens.ts';
import { NOW } from '../testing/clock.ts';
import { emptyPglite } from '../testing/db.ts';
import { FAKE_BUTTON, GOALS, TIMEZONE } from './model.ts';
import { COUNTRY_ADDRESSES, seedDemo, type SeedResult } from './seed.ts';

const SITE = 'demo.kizuna.local';
const ORIGIN = 'http://127.0.0.1:8788';
/** a quarter of the demo's: every kind of visitor shows up (NPS answers are the rarest: ~1 in 1,000 events) */
const EVENTS = 16_000;
const RANGE = '?from=2026-10-13&to=2026-11-10';

let db: Db;
let app: ReturnType<typeof createApp>;
let token: string;
let first: SeedResult;

/** A report as the API answers it (its JSON, read loosely). */
const report = async (name: string, query = RANGE): Promise<any> => {
  const res = await app.request(`/api/v1/sites/${SITE}/reports/${name}${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.json();
};

beforeAll(async () => {
  db = await emptyPglite();
  await addSite(db.sql, { id: SITE, origins: [ORIGIN], timezone: TIMEZONE });
  first = await seedDemo({ db, siteId: SITE, origin: ORIGIN, timezone: TIMEZONE, events: EVENTS, now: NOW });
  app = createApp({ db, now: () => NOW });
  token = await createToken(db.sql, SITE);
}, 180_000);
afterAll(() => db.close());

describe('the demo seed', () => {
  it('sends four weeks through ingest, which stores every event, and rolls every day up', async () => {
    expect(first).toMatchObject({ seeded: true, refused: 0 });
    expect(first.sent).toBeGreaterThanOrEqual(EVENTS);
    expect(first.accepted).toBe(first.sent);
    const [stored] = await db.sql.select({ n: count(), first: sql<string>`min(${events.ts})::text` }).from(events).where(eq(events.siteId, SITE));
    expect(stored!.n).toBe(first.sent);
    expect(Date.parse(stored!.first) - (NOW - 28 * 86_400_000)).toBeLessThan(86_400_000);
    expect(first.days).toBeGreaterThanOrEqual(28);
    expect(await db.sql.select().from(rollupQueue)).toEqual([]);
    expect((await report('overview')).pendingDays).toBe(0);
  });

  it('brings visitors from each network, search engine and campaign the demo names', async () => {
    const acquisition = await report('acquisition');
    const networks = new Map<string, { sessions: number; inAppSessions: number }>(acquisition.networks.map((n: { network: string }) => [n.network, n]));
    for (const network of ['x', 'instagram', 'line', 'facebook', 'youtube']) expect(networks.get(network)?.sessions, network).toBeGreaterThan(0);
    expect(networks.get('instagram')!.inAppSessions).toBeGreaterThan(0);
    const engines = acquisition.searchEngines.map((e: { searchEngine: string }) => e.searchEngine);
    expect(engines).toEqual(expect.arrayContaining(['google', 'yahoo.co.jp']));
    expect(acquisition.campaigns.length).toBeGreaterThan(3);
    const channels = acquisition.channels.map((c: { channel: string }) => c.channel);
    expect(channels).toEqual(expect.arrayContaining(['Direct', 'Organic Search', 'Organic Social', 'Email', 'Paid Social']));
    expect(acquisition.sharesByNetwork.length).toBeGreaterThan(0);
  });

  it('has FAQ readers who search (some finding nothing), vote, and still contact support', async () => {
    const faq = await report('faq');
    expect(faq.totalSearches).toBeGreaterThan(faq.failedSearches);
    expect(faq.failedSearches).toBeGreaterThan(0);
    expect(faq.articles.some((a: { helpful: number; notHelpful: number }) => a.helpful > 0 && a.notHelpful > 0)).toBe(true);
    expect(faq.escalations).toBeGreaterThan(0);
  });

  it('has friction on the fake button, Web Vitals with a spread, and 404s', async () => {
    const usability = await report('usability');
    const onButton = usability.hotSpots.filter((h: { selector: string }) => h.selector === FAKE_BUTTON);
    expect(onButton.map((h: { kind: string }) => h.kind).sort()).toEqual(['dead_click', 'rage_click']);
    expect(usability.hotSpots[0].selector).toBe(FAKE_BUTTON);
    const lcp = usability.pages.map((p: { vitals: { lcp?: { good: number; poor: number } } }) => p.vitals.lcp).filter(Boolean);
    expect(lcp.some((v: { good: number }) => v.good > 0)).toBe(true);
    expect(lcp.some((v: { poor: number }) => v.poor > 0)).toBe(true);
    expect(usability.notFound.length).toBeGreaterThan(0);
  });

  it('has returning visitors, customers identified on two devices, goal conversions and NPS answers with comments', async () => {
    expect((await report('overview')).returningVisitors).toBeGreaterThan(0);
    const twoDevices = await db.sql
      .select({ customer: visitors.customerId, devices: countDistinct(visitors.id) })
      .from(visitors)
      .where(isNotNull(visitors.customerId))
      .groupBy(visitors.customerId)
      .having(sql`count(distinct ${visitors.id}) >= 2`);
    expect(twoDevices.length).toBeGreaterThan(0);
    const goals = await report('goals');
    expect(goals.goals.map((g: { goal: string }) => g.goal)).toEqual(GOALS);
    for (const goal of goals.goals) expect(goal.conversions, goal.goal).toBeGreaterThan(0);
    const nps = await report('nps');
    expect(nps.responses).toBeGreaterThan(5);
    expect(nps.promoters * nps.detractors).toBeGreaterThan(0);
    expect(nps.comments.some((c: { comment: string }) => /[ぁ-んァ-ン一-龯]/.test(c.comment))).toBe(true);
    expect((await report('visitors')).visitorList.some((v: { customerId: string | null }) => v.customerId !== null)).toBe(true);
  });

  it('places visitors in their countries through the GeoIP of ingest', async () => {
    const geo = await createGeo();
    for (const [country, address] of Object.entries(COUNTRY_ADDRESSES)) expect(geo.country(address), address).toBe(country);
    const countries = await db.sql.selectDistinct({ country: sessions.country }).from(sessions).where(eq(sessions.siteId, SITE));
    expect(countries.map((c) => c.country)).toEqual(expect.arrayContaining(['JP', 'US', 'KR']));
  });

  it('seeds nothing on a database that has sessions', async () => {
    const [before] = await db.sql.select({ n: count() }).from(events);
    const second = await seedDemo({ db, siteId: SITE, origin: ORIGIN, timezone: TIMEZONE, events: EVENTS, now: NOW });
    expect(second).toMatchObject({ seeded: false, sent: 0 });
    const [after] = await db.sql.select({ n: count() }).from(events);
    expect(after!.n).toBe(before!.n);
  });
});
