/**
 * The store (CONTRACT §3 "only after the events are durably stored"): one transaction per batch,
 * each event id once, sessions and the visitor written with the events, the touched days marked.
 */
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../db/index.ts';
import { eventIds, events, rollupQueue, sessions, visitors } from '../db/schema.ts';
import type { EnrichedBatch, EnrichedEvent } from '../enrich/index.ts';
import { acquisitionColumns } from '../enrich/session-acquisition.ts';
import { at } from '../testing/clock.ts';
import { query, testDb, testSite } from '../testing/db.ts';
import { storeBatches } from './events.ts';

let db: Db;
const storeBatch = async (batch: EnrichedBatch) => (await storeBatches(db.driver, [batch]))[0];
let site: Awaited<ReturnType<typeof testSite>>;
beforeAll(async () => {
  db = await testDb();
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
});
afterAll(() => db.close());

const view = (ts: number, path = '/', init: Partial<EnrichedEvent> = {}): EnrichedEvent => ({
  id: randomUUID(), type: 'pageview', ts, url: `https://s.example${path}`, path, referrer: null, title: 'T', data: {}, ...init,
});
const batchOf = (visitorId: string, list: EnrichedEvent[]): EnrichedBatch => ({
  siteId: site.id, timezone: 'Asia/Tokyo', visitorId, events: list,
  client: { device: 'desktop', browser: 'Chrome', os: 'Windows', country: 'JP' },
  acquire: (landingUrl) => acquisitionColumns({ landingUrl, referrer: 'https://t.co/x', userAgent: '', siteHosts: ['s.example'] }),
});
const sessionsOf = (visitorId: string) =>
  db.sql.select().from(sessions).where(and(eq(sessions.siteId, site.id), eq(sessions.visitorId, visitorId))).orderBy(sessions.startedAt);
const dirtyDays = async () =>
  (await db.sql.select({ day: rollupQueue.day }).from(rollupQueue).where(eq(rollupQueue.siteId, site.id))).map((r) => r.day).sort();

it('writes the events, the visitor and its session in one go, and marks the local days touched', async () => {
  // 9 Nov 14:50 UTC and 15:10 UTC: 23:50 on the 9th and 00:10 on the 10th in Tokyo, one session
  const stored = await storeBatch(batchOf('v1', [view(at(9, 14, 50), '/a'), view(at(9, 15, 10), '/b')]));
  expect(stored).toEqual({ accepted: 2, duplicates: 0 });
  const [s] = await sessionsOf('v1');
  expect(s).toMatchObject({ pageviews: 2, events: 2, landingPath: '/a', exitPath: '/b', channel: 'Organic Social', country: 'JP' });
  expect(await dirtyDays()).toEqual(['2026-11-09', '2026-11-10']);
  const [v] = await db.sql.select().from(visitors).where(and(eq(visitors.siteId, site.id), eq(visitors.id, 'v1')));
  expect(v).toMatchObject({ firstSeen: new Date(at(9, 14, 50)), lastSeen: new Date(at(9, 15, 10)) });
});

it('acknowledges an id seen before as a duplicate and stores it once', async () => {
  const first = view(at(8, 1, 0));
  expect(await storeBatch(batchOf('v2', [first]))).toEqual({ accepted: 1, duplicates: 0 });
  expect(await storeBatch(batchOf('v2', [first, view(at(8, 1, 5))]))).toEqual({ accepted: 1, duplicates: 1 });
  expect(await storeBatch(batchOf('v2', [first]))).toEqual({ accepted: 0, duplicates: 1 });
  const [s] = await sessionsOf('v2');
  expect(s).toMatchObject({ pageviews: 2, events: 2 });
});

it('joins a late event to the stored session it falls into, and takes an earlier landing', async () => {
  await storeBatch(batchOf('v3', [view(at(7, 10, 10), '/second')]));
  await storeBatch(batchOf('v3', [view(at(7, 10, 0), '/first')]));
  await storeBatch(batchOf('v3', [view(at(7, 11, 0), '/later')])); // 50 min after: a new session
  const found = await sessionsOf('v3');
  expect(found.map((s) => [s.landingPath, s.exitPath, s.pageviews, s.isReturning])).toEqual([
    ['/first', '/second', 2, false],
    ['/later', '/later', 1, true],
  ]);
});

it('stores nothing of a batch whose transaction fails: not its ids, not its visitor', async () => {
  const id = randomUUID();
  // PostgreSQL refuses NUL in text: the events insert fails after the ids, the visitor and the session were written
  await expect(storeBatch(batchOf('v4', [view(at(6, 1), '/', { id, title: 'a\u0000b' })]))).rejects.toThrow();
  expect(await db.sql.select().from(eventIds).where(eq(eventIds.id, id))).toEqual([]);
  expect(await db.sql.select().from(visitors).where(and(eq(visitors.siteId, site.id), eq(visitors.id, 'v4')))).toEqual([]);
  expect(await sessionsOf('v4')).toEqual([]);
  expect(await query(db, sql`select 1 from ${events} where ${events.siteId} = ${site.id} and ${events.visitorId} = 'v4'`)).toEqual([]);
});
