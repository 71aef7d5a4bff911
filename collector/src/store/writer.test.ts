/**
 * The group-commit writer (./writer.ts): requests waiting together are stored in one flush and each
 * answered with its own counts; past its bounds or without a database it refuses at once
 * (`Unavailable`, a 503); it comes back when the database does; a bad batch fails alone.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.ts';
import { botHits, events, rollupQueue } from '../db/schema.ts';
import type { Driver } from '../db/sql.ts';
import type { EnrichedBatch } from '../enrich/index.ts';
import { acquisitionColumns } from '../enrich/session-acquisition.ts';
import { Unavailable } from '../lib/errors.ts';
import { at } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { createWriter } from './writer.ts';

let db: Db;
let site: Awaited<ReturnType<typeof testSite>>;
beforeAll(async () => {
  db = await testDb();
  site = await testSite(db, { timezone: 'UTC' });
});
afterAll(() => db.close());

const batchOf = (visitorId: string, n = 1, init: { title?: string } = {}): EnrichedBatch => ({
  siteId: site.id, timezone: 'UTC', visitorId,
  events: Array.from({ length: n }, (_, i) => ({
    id: randomUUID(), type: 'pageview', ts: at(9, 10, i), url: 'https://s.example/', path: '/', referrer: null, title: init.title ?? 'T', data: {},
  })),
  client: { device: 'desktop', browser: '', os: '', country: null },
  acquire: () => acquisitionColumns(undefined),
});
const storedOf = async (visitorId: string) =>
  (await db.sql.select({ id: events.id }).from(events).where(and(eq(events.siteId, site.id), eq(events.visitorId, visitorId)))).length;

/** A driver that counts transactions, or fails every statement the way a database that went away does. */
function watched(driver: Driver, fail?: () => unknown) {
  let transactions = 0;
  const failing = () => Promise.reject(fail!());
  const wrap = (d: Driver): Driver => ({
    execute: (q) => (fail ? failing() : d.execute(q)),
    run: (s, v) => (fail ? failing() : d.run(s, v)),
    transaction: (fn) => (transactions++, fail ? failing() : d.transaction((tx) => fn(wrap(tx)))),
  });
  return { driver: wrap(driver), transactions: () => transactions, set: (f?: () => unknown) => void (fail = f) };
}

describe('createWriter', () => {
  it('stores the requests that wait together in one transaction, each answered with its own counts', async () => {
    const w = watched(db.driver);
    const writer = createWriter(w.driver, { log: () => {} });
    const batches = Array.from({ length: 20 }, (_, i) => batchOf(`g${i}`, 1 + (i % 3)));
    const answers = await Promise.all(batches.map((b) => writer.write(b, 100)));
    expect(answers).toEqual(batches.map((b) => ({ accepted: b.events.length, duplicates: 0 })));
    expect(w.transactions()).toBe(1);
    expect(await storedOf('g19')).toBe(2);
    // the same ids again, in two requests of one flush: duplicates, stored once
    const again = await Promise.all([writer.write(batches[0]!, 100), writer.write(batches[0]!, 100)]);
    expect(again).toEqual([{ accepted: 0, duplicates: 1 }, { accepted: 0, duplicates: 1 }]);
    expect(await storedOf('g0')).toBe(1);
    await writer.close();
  });

  it('takes at most maxEvents into a flush: the rest goes with the next', async () => {
    const w = watched(db.driver);
    const writer = createWriter(w.driver, { maxEvents: 5, log: () => {} });
    await Promise.all(Array.from({ length: 6 }, (_, i) => writer.write(batchOf(`m${i}`, 2), 100)));
    expect(w.transactions()).toBe(3);
    await writer.close();
  });

  it('refuses at once past its bounds, and says it is not ready', async () => {
    const writer = createWriter(db.driver, { maxQueuedEvents: 3, maxQueuedBytes: 1000, log: () => {} });
    const first = writer.write(batchOf('q1', 3), 10);
    expect(writer.ready).toBe(false);
    await expect(writer.write(batchOf('q2', 1), 10)).rejects.toBeInstanceOf(Unavailable);
    await expect(writer.write(batchOf('q3', 1), 2000)).rejects.toMatchObject({ name: 'Unavailable', retryAfter: 1 });
    await first;
    expect(writer.ready).toBe(true);
    await writer.close();
  });

  it('refuses while the database is down, and takes writes again once it answers', async () => {
    const w = watched(db.driver);
    const writer = createWriter(w.driver, { probeEveryMs: 20, log: () => {} });
    w.set(() => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    await expect(writer.write(batchOf('d1'), 10)).rejects.toMatchObject({ name: 'Unavailable', retryAfter: 5 });
    expect(writer.ready).toBe(false);
    await expect(writer.write(batchOf('d2'), 10)).rejects.toBeInstanceOf(Unavailable); // at once, no flush tried
    w.set(undefined);
    await expect.poll(() => writer.ready, { timeout: 2000 }).toBe(true);
    expect(await writer.write(batchOf('d3'), 10)).toEqual({ accepted: 1, duplicates: 0 });
    await writer.close();
  });

  it('fails a bad batch alone: the others of its flush are stored', async () => {
    const writer = createWriter(db.driver, { log: () => {} });
    const results = await Promise.allSettled([
      writer.write(batchOf('ok1'), 10),
      writer.write(batchOf('bad', 1, { title: 'NUL \u0000 refused by PostgreSQL' }), 10),
      writer.write(batchOf('ok2'), 10),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect([await storedOf('ok1'), await storedOf('bad'), await storedOf('ok2')]).toEqual([1, 0, 1]);
    await writer.close();
  });

  it('writes bot hits with the next flush, and marks their day', async () => {
    const writer = createWriter(db.driver, { log: () => {} });
    writer.countBot(site.id, '2026-11-08');
    writer.countBot(site.id, '2026-11-08');
    await writer.close();
    const [hits] = await db.sql.select().from(botHits).where(and(eq(botHits.siteId, site.id), eq(botHits.day, '2026-11-08')));
    expect(hits?.hits).toBe(2);
    const marks = await db.sql.select().from(rollupQueue).where(and(eq(rollupQueue.siteId, site.id), eq(rollupQueue.day, '2026-11-08')));
    expect(marks).toHaveLength(1);
  });

  it('stores what waits when it closes, then refuses', async () => {
    const writer = createWriter(db.driver, { log: () => {} });
    const pending = writer.write(batchOf('c1'), 10);
    await writer.close();
    expect(await pending).toEqual({ accepted: 1, duplicates: 0 });
    await expect(writer.write(batchOf('c2'), 10)).rejects.toBeInstanceOf(Unavailable);
  });
});
