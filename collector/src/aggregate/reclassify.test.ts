/**
 * Reclassification (`kizuna reclassify`): sessions ingested through the real endpoint, then set back
 * to what older rules said of them, are classified again from their stored landing, referrer and
 * user agent; only the window after the retention boundary is touched, only changed days are marked,
 * and the rollups follow.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { rollupQueue, sessions } from '../db/schema.ts';
import { ACQUISITION_RULES_VERSION } from '../enrich/acquisition.ts';
import { InvalidInput, NotFound } from '../lib/errors.ts';
import { acquisitionReport } from '../reports/acquisition.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { at, NOW } from '../testing/clock.ts';
import { query, testDb, testSite } from '../testing/db.ts';
import { describeReclassified, reclassify } from './reclassify.ts';
import { refreshRollups } from './rollups.ts';

/** Facebook's newer in-app browser, which older rules missed (issue #14). */
const META_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/489.0.0.41.109;FBBV/663543698;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/3;FBCR/;FBID/phone;FBLC/ja_JP;FBOP/80]';
const YAHOO = 'https://search.yahoo.co.jp/search?p=%E6%97%85%E8%A1%8C&ei=UTF-8';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

/** One page view of `visitor` at `ts`, landing on `path` from `referrer`. */
async function land(visitor: string, ts: number, path: string, referrer: string | null = null, userAgent?: string) {
  const body = batch(site.id, [event({ ts, url: `https://s.example${path}`, referrer })], { visitor, sentAt: NOW });
  expect((await app.request('/api/v1/events', beaconInit(body, site.origin, userAgent))).status).toBe(202);
}

const sessionOf = async (visitor: string) =>
  (await db.sql.select().from(sessions).where(and(eq(sessions.siteId, site.id), eq(sessions.visitorId, visitor))))[0]!;
/** What older rules said of a visitor's session: stored as Direct (or as `set` says), with an older rules version. */
const asOlderRules = (visitor: string, set: Partial<typeof sessions.$inferInsert> = {}) =>
  db.sql
    .update(sessions)
    .set({ source: '', medium: '', channel: 'Direct', network: null, inApp: false, sourceCategory: null, searchEngine: null, searchTerm: '', rulesVersion: 'old', ...set })
    .where(and(eq(sessions.siteId, site.id), eq(sessions.visitorId, visitor)));
const marks = async () =>
  (await db.sql.select({ day: rollupQueue.day }).from(rollupQueue).where(eq(rollupQueue.siteId, site.id))).map((r) => r.day).sort();

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  await land('meta', at(9, 1), '/', null, META_UA);  // 9 Nov: Facebook's in-app browser, no referrer
  await land('yahoo', at(10, 1), '/', YAHOO);        // 10 Nov: Yahoo! JAPAN search with its terms
  await land('same', at(10, 2), '/about', 'https://www.google.com/'); // 10 Nov: classified alike by both rules
  await land('current', at(10, 3), '/');             // 10 Nov: classified by the current rules
  await land('before', at(6, 1), '/', YAHOO);        // 6 Nov: before the retention boundary
  await land('legacy', at(10, 4), '/', null, META_UA); // 10 Nov: stored before migration 0006, without its in-app browser
  // then 3 days (ingest would refuse 6 Nov now): raw events before 7 Nov 12:00 UTC are gone, so 7 Nov
  // (Tokyo) and older days are never recomputed
  await query(db, sql`update sites set retention_days = 3 where id = ${site.id}`);
  await asOlderRules('meta');
  await asOlderRules('yahoo', { source: 'yahoo.co.jp', medium: 'referral', channel: 'Referral' });
  await db.sql.update(sessions).set({ rulesVersion: 'old' }).where(and(eq(sessions.siteId, site.id), eq(sessions.visitorId, 'same')));
  await asOlderRules('before');
  await asOlderRules('legacy', { source: 'facebook', medium: 'social', channel: 'Organic Social', network: 'facebook', inApp: true, inAppNetwork: null, rulesVersion: '' });
  await refreshRollups(db, { siteId: site.id, now: NOW });
});
afterAll(() => db.close());

describe('reclassify', () => {
  it('stores every acquisition field of a landing, with the rules version that classified it', async () => {
    expect(await sessionOf('current')).toMatchObject({ channel: 'Direct', rulesVersion: ACQUISITION_RULES_VERSION });
    expect(ACQUISITION_RULES_VERSION).toMatch(/^[0-9a-f]{12}$/);
  });

  it('classifies the window again, updates what differs and marks the changed days only', async () => {
    const progress: [number, number][] = [];
    const done = await reclassify(db, { siteId: site.id, from: '2026-11-01', now: NOW, batchSize: 2, onProgress: (n, total) => progress.push([n, total]) });
    expect(done).toEqual({
      from: '2026-11-08', // the day after the retention boundary, not 1 Nov
      to: '2026-11-10',
      rulesVersion: ACQUISITION_RULES_VERSION,
      sessions: 5,
      changed: 2,
      versionOnly: 1,
      agentUnknown: 1,
      moves: [
        { from: 'Direct', to: 'Organic Social', sessions: 1 },
        { from: 'Referral', to: 'Organic Search', sessions: 1 },
      ],
      days: ['2026-11-09', '2026-11-10'],
    });
    expect(progress).toEqual([[2, 5], [4, 5], [5, 5]]);
    expect(await marks()).toEqual(['2026-11-09', '2026-11-10']);

    expect(await sessionOf('meta')).toMatchObject({
      source: 'facebook', medium: 'social', channel: 'Organic Social', network: 'facebook', inApp: true, sourceCategory: 'social', rulesVersion: ACQUISITION_RULES_VERSION,
    });
    expect(await sessionOf('yahoo')).toMatchObject({
      source: 'yahoo.co.jp', medium: 'organic', channel: 'Organic Search', sourceCategory: 'search', searchEngine: 'yahoo.co.jp', searchTerm: '旅行',
      rulesVersion: ACQUISITION_RULES_VERSION,
    });
    expect(await sessionOf('same')).toMatchObject({ channel: 'Organic Search', rulesVersion: ACQUISITION_RULES_VERSION });
    // its day cannot be recomputed: the session keeps what its reports say
    expect(await sessionOf('before')).toMatchObject({ channel: 'Direct', rulesVersion: 'old' });
    // without its in-app browser, reclassifying would lose what the in-app browser said: it is left alone
    expect(await sessionOf('legacy')).toMatchObject({ channel: 'Organic Social', network: 'facebook', inApp: true, rulesVersion: '' });
  });

  it('lets the rollup job recompute the reports of the marked days', async () => {
    await refreshRollups(db, { siteId: site.id, now: NOW });
    const report = await acquisitionReport(db.driver, { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-09', to: '2026-11-10' });
    expect(report.channels.map((c) => [c.channel, c.sessions])).toEqual([
      ['Direct', 1],
      ['Organic Social', 2],
      ['Organic Search', 2],
    ]);
    expect(report.searchTerms.map((t) => [t.searchEngine, t.term, t.sessions])).toEqual([['yahoo.co.jp', '旅行', 1]]);
    expect(report.networks.map((n) => [n.network, n.inAppShare])).toEqual([['facebook', 1]]);
  });

  it('changes nothing when run again', async () => {
    const again = await reclassify(db, { siteId: site.id, from: '2026-11-08', to: '2026-11-10', now: NOW });
    expect(again).toMatchObject({ sessions: 5, changed: 0, versionOnly: 0, agentUnknown: 1, moves: [], days: [] });
    expect(await marks()).toEqual([]);
  });

  it('says what it changed', () => {
    const lines = describeReclassified(
      { from: '2026-11-08', to: '2026-11-10', rulesVersion: 'abc', sessions: 1201, changed: 3, versionOnly: 1197, agentUnknown: 1, moves: [{ from: 'Direct', to: 'Organic Social', sessions: 3 }], days: ['2026-11-08', '2026-11-10'] },
      '2026-11-01',
    );
    expect(lines).toEqual([
      'sessions started 2026-11-08 to 2026-11-10, rules version abc',
      "  (from 2026-11-08, not 2026-11-01: older days are past the site's retention and cannot be recomputed)",
      '  1,201 sessions read: 3 reclassified, 1,197 unchanged but for the rules version',
      '  1 in-app sessions left as they were: stored before sessions kept their in-app browser',
      '  Direct → Organic Social: 3',
      '  2 days marked for their reports to be recomputed (2026-11-08 to 2026-11-10)',
    ]);
  });

  it('refuses dates that are not calendar dates, a window backwards, and an unknown site', async () => {
    await expect(reclassify(db, { siteId: site.id, from: '2026-02-31', now: NOW })).rejects.toThrow(InvalidInput);
    await expect(reclassify(db, { siteId: site.id, from: '2026-11-09', to: '9 Nov', now: NOW })).rejects.toThrow(/invalid to/);
    await expect(reclassify(db, { siteId: site.id, from: '2026-11-10', to: '2026-11-09', now: NOW })).rejects.toThrow(/invalid from: after to/);
    await expect(reclassify(db, { siteId: 'nope.example', from: '2026-11-09', now: NOW })).rejects.toThrow(NotFound);
  });
});
