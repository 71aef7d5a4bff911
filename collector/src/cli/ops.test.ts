/** The CLI's operations on a database, as the CLI and the collector's admin endpoint both run them. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite } from '../testing/db.ts';
import { runOp } from './ops.ts';

const DAY = 86_400_000;
let db: Db;
beforeAll(async () => void (db = await testDb()));
afterAll(() => db.close());

it('a time-zone change counts the days it marks as it marks them; the rollup job then clears them', async () => {
  const site = await testSite(db, { timezone: 'UTC' });
  const app = createApp({ db });
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  // 23:30 UTC yesterday is today in Tokyo; 12:00 UTC three days ago is the same day there
  for (const ts of [midnight - 30 * 60_000, midnight - 3 * DAY + 12 * 3_600_000]) {
    const res = await app.request('/api/v1/events', beaconInit(batch(site.id, [event({ ts, url: `${site.origin}/` })], { sentAt: Date.now() }), site.origin));
    expect(res.status).toBe(202);
  }
  await refreshRollups(db, { siteId: site.id });

  const pending = async (args: { siteId: string; upTo: number }) => Number((await runOp(db, { name: 'rollups.pending', args })).lines[0]);
  const { recompute } = await runOp(db, { name: 'site.update', args: { id: site.id, change: { timezone: 'Asia/Tokyo' } } });
  // the two UTC days that have rollups, and today in Tokyo, which has none yet
  expect(recompute).toMatchObject({ siteId: site.id, days: 3 });
  expect(await pending(recompute!)).toBe(3);
  await refreshRollups(db, { siteId: site.id });
  expect(await pending(recompute!)).toBe(0);
});

it('a change that keeps the time zone has nothing to recompute', async () => {
  const site = await testSite(db, { timezone: 'Asia/Tokyo' });
  const result = await runOp(db, { name: 'site.update', args: { id: site.id, change: { timezone: 'Asia/Tokyo', acceptServerSide: true } } });
  expect(result.recompute).toBeUndefined();
  expect(result.lines[0]).toMatch(/time zone Asia\/Tokyo, server-side events on$/);
});
