/**
 * The periodic jobs as a collector process runs them: here, the cookieless salt of a day is gone
 * at 00:00 UTC, whether or not any event comes on the new day (DEFINITIONS: cookieless visitors).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Db } from '../db/index.ts';
import { salts } from '../db/schema.ts';
import { testDb } from '../testing/db.ts';
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
