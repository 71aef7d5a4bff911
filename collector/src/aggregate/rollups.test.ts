/**
 * The rollup job (./rollups.ts): a dirty site-day is recomputed whole from raw events and its mark
 * cleared; recomputing again changes nothing; days retention has cut into are never recomputed;
 * the week of Web Vitals is the merge of its days. The figures themselves are pinned by the report tests.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { markDirty } from '../db/rollup-queue.ts';
import { rollupDays, rollupFrictionSegments, rollupQueue, rollupVitals, rollupVitalsWeeks, sites } from '../db/schema.ts';
import { event } from '../testing/beacon.ts';
import { NOW, at, send } from '../testing/clock.ts';
import { query, testDb, testSite } from '../testing/db.ts';
import { ROLLUPS } from './registry.ts';
import { refreshRollups } from './rollups.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
});
afterAll(() => db.close());

const marks = async (siteId: string) =>
  (await db.sql.select({ day: rollupQueue.day }).from(rollupQueue).where(eq(rollupQueue.siteId, siteId))).map((r) => r.day).sort();
/** Every rollup row of a site, table by table, in a stable order. */
const allRollups = async (siteId: string) =>
  Object.fromEntries(
    await Promise.all(
      ROLLUPS.map(async ({ table }) => {
        const rows = await query(db, sql`select * from ${table} where site_id = ${siteId}`);
        return [table, rows.map((r) => JSON.stringify(r)).sort()] as const;
      }),
    ),
  );
const vital = (ts: number, name: string, value: number, path = '/p') =>
  event({ ts, type: 'vital', url: `https://s.example${path}`, data: { name, value, rating: 'good' } });

describe('refreshRollups', () => {
  it('recomputes each dirty day and clears its mark; a second run finds nothing to do and changes nothing', async () => {
    const site = await testSite(db, { timezone: 'Asia/Tokyo' });
    await send(app, site, 'a', [event({ ts: at(9, 1) }), event({ ts: at(10, 1) })]);
    expect(await marks(site.id)).toEqual(['2026-11-09', '2026-11-10']);
    expect(await refreshRollups(db, { siteId: site.id, now: NOW })).toBe(2);
    expect(await marks(site.id)).toEqual([]);
    const [day] = await db.sql.select().from(rollupDays).where(and(eq(rollupDays.siteId, site.id), eq(rollupDays.day, '2026-11-10')));
    expect(day).toMatchObject({ visitors: 1, sessions: 1, pageviews: 1 });

    const before = await allRollups(site.id);
    expect(await refreshRollups(db, { siteId: site.id, now: NOW })).toBe(0);
    await markDirty(db.sql, site.id, ['2026-11-09', '2026-11-10']);
    expect(await refreshRollups(db, { siteId: site.id, now: NOW })).toBe(2);
    expect(await allRollups(site.id)).toEqual(before);
  });

  it('rolls up a day of the longest keys the wire protocol admits: a 512-character landing page, page and non-ASCII selector', async () => {
    const site = await testSite(db, { timezone: 'Asia/Tokyo' });
    // varied characters, so that no key compresses: the path cut to 512 (lib/page-path.ts), 1.5 kB of UTF-8 in the selector
    const path = Array.from({ length: 700 }, (_, i) => (i % 10 ? 'abcdefghijklmnopqrstuvwxyz'[(i * 7919) % 26] : '/')).join('');
    const selector = Array.from({ length: 512 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join('');
    const page = `https://s.example${path}`;
    await send(app, site, 'a', [
      event({ ts: at(9, 1), url: page }),
      event({ ts: at(9, 1, 1), type: 'friction', url: page, data: { kind: 'rage_click', selector, count: 3 } }),
    ]);
    expect(await refreshRollups(db, { siteId: site.id, now: NOW })).toBe(1);
    expect(await marks(site.id)).toEqual([]);
    const spots = await query(db, sql`select segment, length(value) as value, length(selector) as selector from ${rollupFrictionSegments}
      where site_id = ${site.id} order by segment`);
    expect(spots).toEqual(
      ['channel', 'device', 'page'].map((segment) => ({ segment, value: segment === 'page' ? 512 : expect.any(Number), selector: 512 })),
    );
  });

  it('takes only the days asked for: a site, a range, a limit', async () => {
    const [a, b] = [await testSite(db), await testSite(db)];
    await markDirty(db.sql, a.id, ['2026-11-07', '2026-11-08', '2026-11-09']);
    await markDirty(db.sql, b.id, ['2026-11-08']);
    expect(await refreshRollups(db, { siteId: a.id, from: '2026-11-08', to: '2026-11-09', limit: 1, now: NOW })).toBe(1);
    expect((await marks(a.id)).length).toBe(2);
    expect(await refreshRollups(db, { siteId: a.id, from: '2026-11-08', to: '2026-11-09', now: NOW })).toBe(1);
    expect(await marks(a.id)).toEqual(['2026-11-07']);
    expect(await marks(b.id)).toEqual(['2026-11-08']);
  });

  it('never recomputes a day retention has cut into: the mark goes, the rollups stay', async () => {
    const site = await testSite(db);
    await db.sql.update(sites).set({ retentionDays: 3 }).where(eq(sites.id, site.id));
    await db.sql.insert(rollupDays).values({ siteId: site.id, day: '2026-11-07', visitors: 7, sessions: 7 });
    // 3 days before 10 Nov 12:00 UTC is 7 Nov 12:00: the 7th has lost events, the 8th has not
    await markDirty(db.sql, site.id, ['2026-11-07', '2026-11-08']);
    expect(await refreshRollups(db, { siteId: site.id, now: NOW })).toBe(1);
    expect(await marks(site.id)).toEqual([]);
    const [kept] = await db.sql.select().from(rollupDays).where(and(eq(rollupDays.siteId, site.id), eq(rollupDays.day, '2026-11-07')));
    expect(kept).toMatchObject({ visitors: 7, sessions: 7 });
  });

  it("keeps each week's Web Vitals as the merge of its days", async () => {
    const site = await testSite(db, { timezone: 'UTC' });
    // Mon 9 Nov and Tue 10 Nov are one week; Sun 8 Nov the week before
    await send(app, site, 'v', [vital(at(8, 1), 'LCP', 1000), vital(at(9, 1), 'LCP', 1000), vital(at(9, 2), 'LCP', 3000), vital(at(10, 1), 'LCP', 5000)]);
    await refreshRollups(db, { siteId: site.id, now: NOW });
    const week = (monday: string) =>
      db.sql.select().from(rollupVitalsWeeks).where(and(eq(rollupVitalsWeeks.siteId, site.id), eq(rollupVitalsWeeks.week, monday)));
    const days = await db.sql.select().from(rollupVitals).where(and(eq(rollupVitals.siteId, site.id), eq(rollupVitals.metric, 'LCP')));
    expect(days.map((d) => [d.day, d.samples]).sort()).toEqual([['2026-11-08', 1], ['2026-11-09', 2], ['2026-11-10', 1]]);
    const [thisWeek] = await week('2026-11-09');
    expect(thisWeek).toMatchObject({ samples: 3, good: 1, needsImprovement: 1, poor: 1 });
    const merged = days.filter((d) => d.day >= '2026-11-09').flatMap((d) => d.buckets.map((b, i) => [b, d.counts[i]!] as const));
    expect(thisWeek!.buckets.map((b, i) => [b, thisWeek!.counts[i]])).toEqual(merged.sort((x, y) => x[0] - y[0]));
    expect((await week('2026-11-02'))[0]).toMatchObject({ samples: 1 });
  });
});
