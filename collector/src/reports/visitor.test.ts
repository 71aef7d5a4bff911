/**
 * One visitor's timeline (CONTRACT §4 `visitors/:id`): sessions with their events in order, the
 * score, and a customer's visitor ids merged into one person (DEFINITIONS: identify links them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { event } from '../testing/beacon.ts';
import { testDb, testSite } from '../testing/db.ts';
import { visitorTimeline } from './visitor.ts';
import { NOW, at, send as sendAs } from '../testing/clock.ts';

// "now" is 2026-11-10 12:00 UTC = 21:00 in Tokyo; the score's window ends 2026-11-11 00:00 Tokyo.
const iso = (t: number) => new Date(t).toISOString();

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

const send = (visitor: string, events: ReturnType<typeof event>[]) => sendAs(app, site, visitor, events);

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  // P1, a phone: 8 Nov from t.co on an order page (its URL carries a token), an outbound link with
  // an e-mail in its query, identify with traits; 9 Nov a second session with a custom event and a promoter answer.
  await send('P1', [
    event({ ts: at(8, 1, 0), url: 'https://s.example/orders/123?token=secret', referrer: 'https://t.co/x' }),
    event({ ts: at(8, 1, 1), type: 'outbound', data: { url: 'https://partner.example/p?email=a@b.example#top' } }),
    event({ ts: at(8, 1, 2), type: 'identify', data: { customer: 'cust-P', traits: { email: 'p@example.com' } } }),
  ]);
  await send('P1', [
    event({ ts: at(9, 2, 0), url: 'https://s.example/' }),
    event({ ts: at(9, 2, 1), type: 'custom', data: { name: 'Clicked', props: { plan: 'pro' } } }),
    event({ ts: at(9, 2, 2), type: 'nps', data: { score: 9, comment: 'great' } }),
  ]);
  // P2, the same customer's laptop, between P1's sessions.
  await send('P2', [
    event({ ts: at(8, 12, 0), url: 'https://s.example/pricing' }),
    event({ ts: at(8, 12, 1), type: 'identify', data: { customer: 'cust-P' } }),
  ]);
  // R: no customer id.
  await send('R', [event({ ts: at(9, 3, 0), url: 'https://s.example/faq' })]);
  await refreshRollups(db, { siteId: site.id });
});
afterAll(() => db.close());

describe('visitors/:id timeline', () => {
  it("merges every visitor id of the customer into one timeline, sessions and events in order", async () => {
    const t = await visitorTimeline(db.driver, site.id, 'P1', NOW);
    expect(t).toMatchObject({
      visitorId: 'P1', customerId: 'cust-P', visitorIds: ['P1', 'P2'],
      firstSeen: iso(at(8, 1, 0)), lastSeen: iso(at(9, 2, 2)), truncated: false,
    });
    expect(t!.sessionList.map((s) => [s.visitorId, s.start])).toEqual([
      ['P1', iso(at(8, 1, 0))],
      ['P2', iso(at(8, 12, 0))],
      ['P1', iso(at(9, 2, 0))],
    ]);
    expect(t!.sessionList[0]).toEqual({
      id: expect.any(String), visitorId: 'P1', start: iso(at(8, 1, 0)), end: iso(at(8, 1, 2)),
      landingPath: '/orders/:id', exitPath: '/orders/:id', channel: 'Organic Social', source: 'x', pageviews: 1, engagedTimeMs: 0,
      events: [
        // paths, never URLs; the outbound link without its query; identify without its traits
        { type: 'pageview', ts: iso(at(8, 1, 0)), path: '/orders/:id', data: {} },
        { type: 'outbound', ts: iso(at(8, 1, 1)), path: '/', data: { url: 'https://partner.example/p' } },
        { type: 'identify', ts: iso(at(8, 1, 2)), path: '/', data: { customer: 'cust-P' } },
      ],
    });
    expect(t!.sessionList[2]!.events).toEqual([
      { type: 'pageview', ts: iso(at(9, 2, 0)), path: '/', data: {} },
      { type: 'custom', ts: iso(at(9, 2, 1)), path: '/', data: { name: 'Clicked', props: { plan: 'pro' } } },
      { type: 'nps', ts: iso(at(9, 2, 2)), path: '/', data: { score: 9, comment: 'great' } },
    ]);
  });

  it("scores the person over the 30 days up to today, all their visitor ids together", async () => {
    const t = await visitorTimeline(db.driver, site.id, 'P1', NOW);
    // last seen 9 Nov 02:02 UTC, 1.54 days before 11 Nov 00:00 Tokyo → 20 × 28.46 / 29 = 19.6; 3 sessions → 6;
    // 3 pages → 1.5; a custom event and an answer → 8; a promoter answer → 10
    expect(t!.score).toEqual({
      total: 45.1, segment: 'engaged', model: 'v1', window: { from: '2026-10-12', to: '2026-11-10' },
      parts: { recency: 19.6, frequency: 6, depth: 1.5, interaction: 8, advocacy: 10 },
    });
  });

  it('is the same person from any of their visitor ids', async () => {
    const fromP2 = await visitorTimeline(db.driver, site.id, 'P2', NOW);
    const fromP1 = await visitorTimeline(db.driver, site.id, 'P1', NOW);
    expect(fromP2!.visitorIds).toEqual(['P2', 'P1']);
    expect(fromP2!.sessionList).toEqual(fromP1!.sessionList);
    expect(fromP2!.score).toEqual(fromP1!.score);
  });

  it('keeps a visitor without a customer id to themselves', async () => {
    const t = await visitorTimeline(db.driver, site.id, 'R', NOW);
    expect(t).toMatchObject({ visitorId: 'R', customerId: null, visitorIds: ['R'] });
    expect(t!.sessionList.map((s) => s.landingPath)).toEqual(['/faq']);
    expect(t!.score).toMatchObject({ parts: { frequency: 2, depth: 0.5 } });
  });

  it('answers null for an unknown visitor, or one of another site', async () => {
    expect(await visitorTimeline(db.driver, site.id, 'nobody', NOW)).toBeNull();
    const other = await testSite(db);
    expect(await visitorTimeline(db.driver, other.id, 'P1', NOW)).toBeNull();
  });
});
