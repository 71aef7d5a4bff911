/**
 * A site's goals (DEFINITIONS: "Goal"): stored in `sites.settings.goals`, checked, and applied to
 * the past days whose raw events are still kept.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { MAX_GOAL_LENGTH, MAX_GOALS, setGoals } from './goals.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { query, testDb, testSite } from '../testing/db.ts';

// "now" is 2026-11-10 12:00 UTC = 21:00 in Tokyo
const NOW = Date.UTC(2026, 10, 10, 12, 0);

let db: Db;
const settingsOf = async (siteId: string) => (await query<{ settings: Record<string, unknown> }>(db, sql`select settings from sites where id = ${siteId}`))[0]!.settings;

beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

describe('setGoals', () => {
  it('stores the goals trimmed, page paths folded, duplicates dropped, beside the other settings', async () => {
    const site = await testSite(db);
    await query(db, sql`update sites set settings = '{"faq": ["/help/*"], "goals": ["Old"]}' where id = ${site.id}`);
    expect(await setGoals(db.sql, site.id, ['  Signup ', '/orders/123?x=1', 'Signup', '/orders/456'], NOW)).toEqual(['Signup', '/orders/:id']);
    expect(await settingsOf(site.id)).toEqual({ faq: ['/help/*'], goals: ['Signup', '/orders/:id'] });
    expect(await setGoals(db.sql, site.id, [], NOW)).toEqual([]);
    expect(await settingsOf(site.id)).toEqual({ faq: ['/help/*'], goals: [] });
  });

  it(`accepts up to ${MAX_GOALS} goals of 1 to ${MAX_GOAL_LENGTH} characters, and refuses more with 400`, async () => {
    const site = await testSite(db);
    const many = (n: number) => Array.from({ length: n }, (_, i) => `Goal ${i}`);
    expect(await setGoals(db.sql, site.id, many(MAX_GOALS), NOW)).toHaveLength(MAX_GOALS);
    expect(await setGoals(db.sql, site.id, ['x'.repeat(MAX_GOAL_LENGTH)], NOW)).toEqual(['x'.repeat(MAX_GOAL_LENGTH)]);
    for (const bad of [many(MAX_GOALS + 1), [''], ['   '], ['x'.repeat(MAX_GOAL_LENGTH + 1)], [42], 'Signup']) {
      await expect(setGoals(db.sql, site.id, bad as string[], NOW)).rejects.toMatchObject({ name: 'InvalidInput', field: 'goals' });
    }
    expect(await settingsOf(site.id)).toEqual({ goals: ['x'.repeat(MAX_GOAL_LENGTH)] });
    await expect(setGoals(db.sql, 'no-such-site', ['Signup'], NOW)).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('applies new goals to the past days whose raw events are still kept', async () => {
    const site = await testSite(db, { timezone: 'Asia/Tokyo' });
    const app = createApp({ db, now: () => NOW });
    const res = await app.request(
      '/api/v1/events',
      beaconInit(batch(site.id, [event({ ts: Date.UTC(2026, 10, 9, 1), url: `${site.origin}/` }), event({ ts: Date.UTC(2026, 10, 9, 1, 1), type: 'custom', data: { name: 'Buy' } })], { sentAt: NOW }), site.origin),
    );
    expect(res.status).toBe(202);
    await refreshRollups(db, { siteId: site.id });
    const conversions = () => query(db, sql`select goal, conversions from rollup_goals where site_id = ${site.id}`);
    expect(await conversions()).toEqual([]);
    // 400 days before now is 6 Oct 2025 21:00 Tokyo: that day has lost raw events and must not be
    // recomputed from what is left of it; 7 Oct is whole
    await query(db, sql`insert into rollup_days (site_id, day, sessions) values (${site.id}, '2025-10-06', 5), (${site.id}, '2025-10-07', 5)`);

    await setGoals(db.sql, site.id, ['Buy'], NOW);
    const queued = await query<{ day: string }>(db, sql`select to_char(day, 'YYYY-MM-DD') as day from rollup_queue where site_id = ${site.id} order by day`);
    expect(queued.map((r) => r.day)).toEqual(['2025-10-07', '2026-11-09']);
    await refreshRollups(db, { siteId: site.id });
    expect(await conversions()).toEqual([{ goal: 'Buy', conversions: 1 }]);
    expect((await query(db, sql`select sessions from rollup_days where site_id = ${site.id} and day = '2025-10-06'`))[0]).toEqual({ sessions: 5 });
  });
});
