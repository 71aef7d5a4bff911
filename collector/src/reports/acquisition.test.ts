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
import { BOM } from '../lib/csv.ts';
import { tableCsv } from './table.ts';
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
  // a12: Yahoo! JAPAN search, its referrer still carrying `p=` (「レンタル 案内」); 2 pages → engaged.
  await visit('a12', at(10, 8), [land('/', 'https://search.yahoo.co.jp/search?p=%E3%83%AC%E3%83%B3%E3%82%BF%E3%83%AB+%E6%A1%88%E5%86%85&ei=UTF-8'), view('/pricing')]);
  // a13: a link in a ChatGPT answer → AI Assistants; signs up.
  await visit('a13', at(9, 5), [land('/pricing', 'https://chatgpt.com/'), custom('/pricing', 'Signup')]);
  // a14, a15: a paid LINE campaign, two creatives of one ad group (utm_content), with utm_id and utm_term → Paid Social.
  const line = '/?utm_source=line&utm_medium=cpc&utm_campaign=spring&utm_id=42&utm_term=rental';
  await visit('a14', at(10, 9), [land(`${line}&utm_content=banner_a`), view('/pricing')]);
  await visit('a15', at(10, 10), [land(`${line}&utm_content=banner_b`)]);
  // a0 on 8 Nov, outside the range: from X, shares to X.
  await visit('a0', at(8, 3), [land('/pricing', 'https://t.co/old'), share('/pricing', 'x')]);

  await refreshRollups(db, { siteId: site.id });
  report = await acquisitionReport(db.driver, { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-09', to: '2026-11-10' });
});
afterAll(() => db.close());

const figures = (sessions: number, visitors: number, engagedSessions: number, conversions: number) => ({
  sessions, visitors, engagedSessions, engagedRate: Math.round((engagedSessions / sessions) * 1000) / 1000, conversions,
});

describe('reports/acquisition', () => {
  it('counts sessions, visitor-days, engagement and converted sessions per channel, in GA4 order', () => {
    expect(report.channels).toEqual([
      // a9 (converted), a11
      { channel: 'Direct', ...figures(2, 2, 1, 1) },
      // a6 (Facebook, converted), a14 and a15 (LINE)
      { channel: 'Paid Social', ...figures(3, 3, 2, 1) },
      { channel: 'Display', ...figures(1, 1, 0, 0) },
      // a2 (twice: 9 and 10 Nov), a4, a5: 3 distinct visitors, 4 visitor-days
      { channel: 'Organic Social', ...figures(4, 4, 2, 1) },
      // a1's two sessions on one day and landing page: 1 visitor; a12
      { channel: 'Organic Search', ...figures(3, 2, 1, 0) },
      { channel: 'AI Assistants', ...figures(1, 1, 1, 1) },
      { channel: 'Referral', ...figures(1, 1, 0, 0) },
      { channel: 'Email', ...figures(1, 1, 0, 0) },
    ]);
  });

  it('counts social networks, organic and paid, with their in-app share', () => {
    expect(report.networks).toEqual([
      { network: 'instagram', ...figures(2, 2, 1, 0), inAppSessions: 1, inAppShare: 0.5 },
      { network: 'line', ...figures(2, 2, 1, 0), inAppSessions: 0, inAppShare: 0 },
      { network: 'x', ...figures(2, 2, 1, 1), inAppSessions: 0, inAppShare: 0 },
      { network: 'facebook', ...figures(1, 1, 1, 1), inAppSessions: 0, inAppShare: 0 },
    ]);
  });

  it('counts search engines, the search terms their referrers carried, and AI assistants', () => {
    expect(report.searchEngines).toEqual([
      { searchEngine: 'google', ...figures(2, 1, 0, 0) },
      { searchEngine: 'yahoo.co.jp', ...figures(1, 1, 1, 0) },
    ]);
    // Google sends no terms any more: only Yahoo! JAPAN's `p=` is listed
    expect(report.searchTerms).toEqual([{ searchEngine: 'yahoo.co.jp', term: 'レンタル 案内', ...figures(1, 1, 1, 0) }]);
    expect(report.aiAssistants).toEqual([{ aiAssistant: 'chatgpt', ...figures(1, 1, 1, 1) }]);
  });

  it('counts sessions by source and medium, Direct as empty ones', () => {
    expect(report.sourceMedium).toEqual([
      { source: '', medium: '', ...figures(2, 2, 1, 1) },
      { source: 'google', medium: 'organic', ...figures(2, 1, 0, 0) },
      // ties by source
      { source: 'instagram', medium: 'social', ...figures(2, 2, 1, 0) },
      { source: 'line', medium: 'cpc', ...figures(2, 2, 1, 0) },
      { source: 'x', medium: 'social', ...figures(2, 2, 1, 1) },
      { source: 'blog.example.org', medium: 'referral', ...figures(1, 1, 0, 0) },
      { source: 'chatgpt', medium: 'referral', ...figures(1, 1, 1, 1) },
      { source: 'facebook', medium: 'paid_social', ...figures(1, 1, 1, 1) },
      { source: 'newsletter', medium: 'email', ...figures(1, 1, 0, 0) },
      { source: 'partner', medium: 'banner', ...figures(1, 1, 0, 0) },
      { source: 'yahoo.co.jp', medium: 'organic', ...figures(1, 1, 1, 0) },
    ]);
  });

  it('lists UTM campaigns by all their tags', () => {
    const untagged = { campaignId: '', term: '', content: '' };
    expect(report.campaigns).toEqual([
      { source: 'facebook', medium: 'paid_social', campaign: 'bf2026', ...untagged, ...figures(1, 1, 1, 1) },
      { source: 'line', medium: 'cpc', campaign: 'spring', campaignId: '42', term: 'rental', content: 'banner_a', ...figures(1, 1, 1, 0) },
      { source: 'line', medium: 'cpc', campaign: 'spring', campaignId: '42', term: 'rental', content: 'banner_b', ...figures(1, 1, 0, 0) },
      { source: 'newsletter', medium: 'email', campaign: 'nov-news', ...untagged, ...figures(1, 1, 0, 0) },
      { source: 'partner', medium: 'banner', campaign: 'bf2026', ...untagged, ...figures(1, 1, 0, 0) },
    ]);
  });

  it('lists landing pages (query strings dropped) with engagement and conversions', () => {
    expect(report.landingPages).toEqual([
      { path: '/', ...figures(9, 8, 3, 1) },
      { path: '/pricing', ...figures(4, 4, 3, 3) },
      { path: '/blog/post', ...figures(2, 2, 1, 0) },
      { path: '/about', ...figures(1, 1, 0, 0) },
    ]);
  });

  it('lists landing pages per channel, channels in GA4 order', () => {
    expect(report.channelLandingPages.map((r) => [r.channel, r.path, r.sessions])).toEqual([
      ['Direct', '/', 2],
      ['Paid Social', '/', 2],
      ['Paid Social', '/pricing', 1],
      ['Display', '/', 1],
      ['Organic Social', '/blog/post', 2],
      ['Organic Social', '/pricing', 2],
      ['Organic Search', '/', 3],
      ['AI Assistants', '/pricing', 1],
      ['Referral', '/about', 1],
      ['Email', '/', 1],
    ]);
  });

  it('counts shares by network, navigator.share as native', () => {
    expect(report.sharesByNetwork).toEqual([
      { network: 'x', shares: 2 },
      { network: 'line', shares: 1 },
      { network: 'native', shares: 1 },
    ]);
  });

  it('makes a CSV of each table, with a header naming every field', () => {
    expect(Object.keys(tables)).toEqual([
      'channels', 'networks', 'searchEngines', 'searchTerms', 'aiAssistants', 'sourceMedium', 'campaigns', 'landingPages', 'channelLandingPages', 'sharesByNetwork',
    ]);
    const csv = (name: keyof typeof tables) => tableCsv(tables[name], report).slice(BOM.length).split('\r\n');
    expect(csv('channels').slice(0, 2)).toEqual(['channel,sessions,visitors,engagedSessions,engagedRate,conversions', 'Direct,2,2,1,0.5,1']);
    expect(csv('searchTerms').slice(0, 2)).toEqual(['searchEngine,term,sessions,visitors,engagedSessions,engagedRate,conversions', 'yahoo.co.jp,レンタル 案内,1,1,1,1,0']);
    expect(csv('campaigns')[0]).toBe('source,medium,campaign,campaignId,term,content,sessions,visitors,engagedSessions,engagedRate,conversions');
    expect(csv('channelLandingPages')[0]).toBe('channel,path,sessions,visitors,engagedSessions,engagedRate,conversions');
  });
});
