/**
 * The acquisition report from a hand-computed fixture sent through the real ingest endpoint
 * (DEFINITIONS: a session's source is its landing's; channels; social networks; in-app browsers;
 * a same-site referrer is no source; engaged session; goal conversion; share).
 */
import { sql } from 'drizzle-orm';
import type { WireEvent } from '@kizuna/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { toCsv } from '../lib/csv.ts';
import { batch, beaconInit, CHROME_UA, event } from '../testing/beacon.ts';
import { testDb, testSite, query } from '../testing/db.ts';
import { acquisitionReport, tables, type Acquisition } from './acquisition.ts';
import { NOW, at } from '../testing/clock.ts';

// "now" is 2026-11-10 12:00 UTC = 21:00 in Tokyo. at(9, h) for h < 15 is 9 Nov in Tokyo, at(10, h) 10 Nov,
// at(8, h) 8 Nov: outside the range 9–10 Nov, but within the 7 days ingest accepts.
const INSTAGRAM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.0.0.0 (iPhone14,2; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 537288532)';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let report: Acquisition;

type Step = { type: WireEvent['type']; path: string; referrer?: string; data?: Record<string, unknown>; ts?: number };

/** One visitor's batch: its steps a second apart from `ts` (or at their own `ts`). */
async function visit(visitor: string, ts: number, steps: Step[], userAgent = CHROME_UA) {
  const events = steps.map((s, i) =>
    event({ ts: s.ts ?? ts + i * 1000, type: s.type, url: `https://s.example${s.path}`, referrer: s.referrer ?? null, data: s.data ?? {} }),
  );
  const res = await app.request('/api/v1/events', beaconInit(batch(site.id, events, { visitor, sentAt: NOW }), site.origin, userAgent));
  expect(res.status).toBe(202);
}

const land = (path: string, referrer?: string, ts?: number): Step => ({ type: 'pageview', path, referrer, ts });
const view = (path: string): Step => ({ type: 'pageview', path });
const engaged = (path: string, ms: number): Step => ({ type: 'pageleave', path, data: { engaged: ms, scroll: 50 } });
const custom = (path: string, name: string): Step => ({ type: 'custom', path, data: { name } });
const share = (path: string, network: string): Step => ({ type: 'share', path, data: { network } });

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  await query(db, sql`update sites set settings = ${JSON.stringify({ goals: ['Signup'] })}::jsonb where id = ${site.id}`);

  // a1: two Google sessions 45 min apart on 9 Nov, one page each → Organic Search, 2 sessions, 1 visitor, not engaged.
  await visit('a1', at(9, 1), [land('/', 'https://www.google.com/'), land('/', 'https://www.google.com/', at(9, 1, 45))]);
  // a2 on 9 Nov: from X (t.co), 2 pages → engaged; signs up twice → 1 converted session; shares to X.
  await visit('a2', at(9, 2), [land('/pricing', 'https://t.co/abc'), view('/signup'), custom('/signup', 'Signup'), custom('/signup', 'Signup'), share('/signup', 'x')]);
  // a2 again on 10 Nov from X: 9.999 s engaged, 1 page → not engaged; shares to X again.
  await visit('a2', at(10, 1), [land('/pricing', 'https://t.co/def'), engaged('/pricing', 9999), share('/pricing', 'x')]);
  // a4: no referrer inside Instagram's in-app browser → organic social from Instagram, in-app; 12 s → engaged.
  await visit('a4', at(10, 2), [land('/blog/post'), engaged('/blog/post', 12_000)], INSTAGRAM_UA);
  // a5: from Instagram in a normal browser; shares to LINE and with navigator.share.
  await visit('a5', at(10, 3), [land('/blog/post', 'https://l.instagram.com/?u=x'), share('/blog/post', 'line'), share('/blog/post', 'native')]);
  // a6: a paid Facebook ad (medium paid_social), 15 s engaged, signs up → Paid Social, campaign bf2026.
  await visit('a6', at(9, 3), [land('/pricing?utm_source=facebook&utm_medium=paid_social&utm_campaign=bf2026'), engaged('/pricing', 15_000), custom('/pricing', 'Signup')]);
  // a7: the newsletter; its custom event is no goal → not converted.
  await visit('a7', at(10, 4), [land('/?utm_source=newsletter&utm_medium=email&utm_campaign=nov-news'), custom('/', 'Newsletter')]);
  // a8: a link on another site → Referral.
  await visit('a8', at(10, 5), [land('/about', 'https://blog.example.org/post')]);
  // a9: direct, one page, signs up → engaged by its conversion.
  await visit('a9', at(9, 4), [land('/'), custom('/', 'Signup')]);
  // a10: medium banner → Display (GA4 rule 7); same campaign name as a6, other source.
  await visit('a10', at(10, 6), [land('/?utm_source=partner&utm_medium=banner&utm_campaign=bf2026')]);
  // a11: a same-site referrer is never a source → Direct.
  await visit('a11', at(10, 7), [land('/', 'https://s.example/pricing')]);
  // a0 on 8 Nov, outside the range: from X, shares to X.
  await visit('a0', at(8, 3), [land('/pricing', 'https://t.co/old'), share('/pricing', 'x')]);

  await refreshRollups(db, { siteId: site.id });
  report = await acquisitionReport(db.driver, { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-09', to: '2026-11-10' });
});
afterAll(() => db.close());

describe('reports/acquisition', () => {
  it('counts sessions, visitor-days, engagement and converted sessions per channel', () => {
    expect(report.channels).toEqual([
      // a2 (twice: 9 and 10 Nov), a4, a5: 3 distinct visitors, 4 visitor-days
      { channel: 'Organic Social', sessions: 4, visitors: 4, engagedSessions: 2, engagedRate: 0.5, conversions: 1 },
      { channel: 'Direct', sessions: 2, visitors: 2, engagedSessions: 1, engagedRate: 0.5, conversions: 1 },
      // a1's two sessions on one day and landing page: 1 visitor
      { channel: 'Organic Search', sessions: 2, visitors: 1, engagedSessions: 0, engagedRate: 0, conversions: 0 },
      { channel: 'Display', sessions: 1, visitors: 1, engagedSessions: 0, engagedRate: 0, conversions: 0 },
      { channel: 'Email', sessions: 1, visitors: 1, engagedSessions: 0, engagedRate: 0, conversions: 0 },
      { channel: 'Paid Social', sessions: 1, visitors: 1, engagedSessions: 1, engagedRate: 1, conversions: 1 },
      { channel: 'Referral', sessions: 1, visitors: 1, engagedSessions: 0, engagedRate: 0, conversions: 0 },
    ]);
  });

  it('counts social networks, organic and paid, with their in-app share', () => {
    expect(report.networks).toEqual([
      { network: 'instagram', sessions: 2, visitors: 2, engagedSessions: 1, engagedRate: 0.5, conversions: 0, inAppSessions: 1, inAppShare: 0.5 },
      { network: 'x', sessions: 2, visitors: 2, engagedSessions: 1, engagedRate: 0.5, conversions: 1, inAppSessions: 0, inAppShare: 0 },
      { network: 'facebook', sessions: 1, visitors: 1, engagedSessions: 1, engagedRate: 1, conversions: 1, inAppSessions: 0, inAppShare: 0 },
    ]);
  });

  it('lists UTM campaigns by source, medium and campaign', () => {
    expect(report.campaigns).toEqual([
      { source: 'facebook', medium: 'paid_social', campaign: 'bf2026', sessions: 1, visitors: 1, conversions: 1 },
      { source: 'partner', medium: 'banner', campaign: 'bf2026', sessions: 1, visitors: 1, conversions: 0 },
      { source: 'newsletter', medium: 'email', campaign: 'nov-news', sessions: 1, visitors: 1, conversions: 0 },
    ]);
  });

  it('lists landing pages (query strings dropped) with engagement and conversions', () => {
    expect(report.landingPages).toEqual([
      { path: '/', sessions: 6, engagedSessions: 1, engagedRate: 0.167, conversions: 1 },
      { path: '/pricing', sessions: 3, engagedSessions: 2, engagedRate: 0.667, conversions: 2 },
      { path: '/blog/post', sessions: 2, engagedSessions: 1, engagedRate: 0.5, conversions: 0 },
      { path: '/about', sessions: 1, engagedSessions: 0, engagedRate: 0, conversions: 0 },
    ]);
  });

  it('counts shares by network, navigator.share as native', () => {
    expect(report.shares).toEqual([
      { network: 'x', shares: 2 },
      { network: 'line', shares: 1 },
      { network: 'native', shares: 1 },
    ]);
  });

  it('makes its CSV of the channels table', () => {
    const [header, first] = toCsv(tables.channels(report)).split('\r\n');
    expect(header).toBe('channel,sessions,visitors,engagedSessions,engagedRate,conversions');
    expect(first).toBe('Organic Social,4,4,2,0.5,1');
  });
});
