/**
 * The periodic jobs as a collector process runs them: the cookieless salt of a day is gone at
 * 00:00 UTC, whether or not any event comes on the new day (DEFINITIONS: cookieless visitors); on
 * PGlite the tables are analyzed as they grow.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Db } from '../db/index.ts';
import { salts } from '../db/schema.ts';
import { sql } from 'drizzle-orm';
import { createApp } from '../app.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { query, testDb, testSite } from '../testing/db.ts';
import { startMaintenance } from './maintenance.ts';

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

it("deletes the day's cookieless salt at 00:00 UTC, with no event of the new day", async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  try {
    // a minute before the coming 00:00 UTC (near the real clock: the jobs that start with it apply
    // retention to a database other test files share)
    const day = 86_400_000;
    const midnight = Math.ceil(Date.now() / day) * day;
    const today = new Date(midnight - day).toISOString().slice(0, 10);
    vi.setSystemTime(midnight - 60_000);
    await db.sql.insert(salts).values({ day: today, salt: randomBytes(32) }).onConflictDoNothing();
    const stop = await startMaintenance(db, { rollupEveryMs: 3_600_000 });
    const days = async () => (await db.sql.select({ day: salts.day }).from(salts)).map((r) => r.day);
    expect(await days()).toContain(today); // today's stays
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await days()).toContain(today); // 23:59:59
    await vi.advanceTimersByTimeAsync(3_000);
    await vi.waitFor(async () => expect(await days()).not.toContain(today));
    stop();
  } finally {
    vi.useRealTimers();
  }
});

it.skipIf(!!process.env.DATABASE_URL)('keeps the planner statistics of PGlite (no autovacuum) current before the rollups', async () => {
  const site = await testSite(db);
  const app = createApp({ db, rateLimit: { perSecond: 1e6, burst: 1e6 } });
  let later = 0;
  const stop = await startMaintenance(db, { rollupEveryMs: 50, now: () => Date.now() + later });
  const estimated = async () =>
    Number((await query<{ n: number }>(db, sql`select sum(reltuples) as n from pg_class where relname like 'events%' and relkind = 'r'`))[0]!.n);
  await new Promise((r) => setTimeout(r, 200)); // the first rollup runs, and analyzes
  const before = await estimated();
  for (let i = 0; i < 20; i++) expect((await app.request('/api/v1/events', beaconInit(batch(site.id, [event()]), site.origin))).status).toBe(202);
  later = 31_000; // half a minute on: the next rollup analyzes again
  await vi.waitFor(async () => expect(await estimated()).toBeGreaterThanOrEqual(before + 20), { timeout: 5_000 });
  stop();
});
