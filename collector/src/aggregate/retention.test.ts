import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { createApp } from '../app.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { tablesHolding, testDb, testSite, query } from '../testing/db.ts';
import { FORGOTTEN_AT_RETENTION } from './registry.ts';
import { applyRetention, preparePartitions } from './retention.ts';
import { refreshRollups } from './rollups.ts';

const DAY = 86_400_000;
let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

const partitions = async () =>
  (await query<{ name: string }>(db, sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass`)).map((r) => r.name);

const insertEvent = (siteId: string, ts: number) =>
  query(db, sql`insert into events (id, site_id, visitor_id, session_id, type, ts, url, path, data)
     values (${randomUUID()}, ${siteId}, 'v', ${randomUUID()}, 'pageview', ${new Date(ts)}, 'https://s.example/', '/', '{}')`);

it('prepares monthly partitions from last month to two months ahead', async () => {
  await preparePartitions(db, Date.UTC(2031, 0, 15));
  expect(await partitions()).toEqual(expect.arrayContaining(['events_2030_12', 'events_2031_01', 'events_2031_02', 'events_2031_03']));
  await preparePartitions(db, Date.UTC(2031, 0, 15)); // safe to re-run
});

it('drops a month once it is older than every site retention, and deletes older rows of shorter retentions', async () => {
  const now = Date.UTC(2033, 5, 15);
  const short = await testSite(db);
  await query(db, sql`update sites set retention_days = 30 where id = ${short.id}`);
  await preparePartitions(db, Date.UTC(2032, 3, 10)); // April 2032: 14 months before now (> 400 days)
  await preparePartitions(db, now);
  await insertEvent(short.id, Date.UTC(2032, 3, 10));
  await insertEvent(short.id, now - 31 * DAY); // older than the site's 30 days
  await insertEvent(short.id, now - 29 * DAY);

  const dropped = await applyRetention(db, now, [short.id]);
  expect(dropped).toContain('events_2032_04');
  expect(await partitions()).not.toContain('events_2032_04');
  expect(await partitions()).toContain('events_2033_06');
  const left = await query<{ ts: Date }>(db, sql`select ts from events where site_id = ${short.id}`);
  expect(left.map((r) => +new Date(r.ts))).toEqual([now - 29 * DAY]);
});

it('forgets the sessions (and their search terms) and the search-term rollups with the raw events, at the local day of the boundary', async () => {
  const now = Date.UTC(2033, 5, 15, 12);
  const site = await testSite(db, { timezone: 'Asia/Tokyo' });
  await query(db, sql`update sites set retention_days = 30 where id = ${site.id}`);
  const session = (startedAt: number) =>
    query(db, sql`insert into sessions (id, site_id, visitor_id, started_at, ended_at, landing_url, landing_path, exit_path, search_term)
      values (${randomUUID()}, ${site.id}, 'v', ${new Date(startedAt)}, ${new Date(startedAt)}, 'https://s.example/', '/', '/', 'my name')`);
  await session(now - 31 * DAY);
  await session(now - 29 * DAY);
  // the cutoff is 16 May 12:00 UTC = 21:00 in Tokyo: 16 May has lost events, 17 May has not
  for (const day of ['2033-05-16', '2033-05-17']) {
    await query(db, sql`insert into rollup_search_terms (site_id, day, search_engine, term, sessions) values (${site.id}, ${day}, 'yahoo.co.jp', 'my name', 1)`);
  }

  await applyRetention(db, now, [site.id]);
  const sessions = await query<{ search_term: string }>(db, sql`select search_term from sessions where site_id = ${site.id} order by started_at`);
  expect(sessions).toEqual([{ search_term: 'my name' }]);
  const terms = await query(db, sql`select to_char(day, 'YYYY-MM-DD') as day from rollup_search_terms where site_id = ${site.id}`);
  expect(terms).toEqual([{ day: '2033-05-17' }]);
});

it('forgets event ids once a retry can no longer bring them', async () => {
  const now = Date.now();
  const [old, recent] = [randomUUID(), randomUUID()];
  await query(db, sql`insert into event_ids (id, ts) values (${old}, ${new Date(now - 9 * DAY)}), (${recent}, ${new Date(now - 6 * DAY)})`);
  await applyRetention(db, now, []);
  const ids = (await query<{ id: string }>(db, sql`select id from event_ids where id in (${old}, ${recent})`)).map((r) => r.id);
  expect(ids).toEqual([recent]);
});

it('moves events that waited in the default partition into the month partition it makes', async () => {
  const site = await testSite(db);
  const t = Date.UTC(2037, 4, 20);
  await insertEvent(site.id, t); // May 2037 has no partition yet: the default one takes it
  await preparePartitions(db, t);
  const rows = await query<{ part: string }>(db, sql`select tableoid::regclass::text as part from events where site_id = ${site.id}`);
  expect(rows).toEqual([{ part: 'events_2037_05' }]);
});

it("forgets at the site's retention everything a visitor or a page put in: events, sessions, visitors and every rollup but the daily counts", async () => {
  const t0 = Date.now() - DAY;
  const site = await testSite(db);
  await query(db, sql`update sites set retention_days = 30 where id = ${site.id}`);
  const app = createApp({ db, now: () => t0 });
  const marker = 'kept-too-long';
  const send = (visitor: string, events: ReturnType<typeof event>[]) =>
    app.request('/api/v1/events', beaconInit(batch(site.id, events, { visitor, sentAt: t0 }), site.origin));
  const res = await send('visitor-' + marker, [
    event({ ts: t0 - 60_000, url: `https://s.example/${marker}?utm_campaign=${marker}`, referrer: `https://ref.example/${marker}`, title: marker }),
    event({ ts: t0 - 50_000, type: 'faq', data: { action: 'search', query: marker, results: 0 } }),
    event({ ts: t0 - 40_000, type: 'identify', data: { customer: 'customer-' + marker } }),
    event({ ts: t0 - 30_000, type: 'share', data: { network: marker } }),
  ]);
  expect(await res.json()).toMatchObject({ accepted: 4 });
  await refreshRollups(db, { siteId: site.id, now: t0 });
  expect(Object.keys(await tablesHolding(db, marker))).toEqual(expect.arrayContaining(['sessions', 'visitors', 'rollup_pages', 'rollup_searches']));
  const counts = async () => query(db, sql`select visitors, sessions from rollup_days where site_id = ${site.id}`);
  const before = await counts();
  expect(before).toHaveLength(1);

  await applyRetention(db, t0 + 29 * DAY, [site.id]); // within retention: nothing goes
  expect(Object.keys(await tablesHolding(db, marker))).toContain('sessions');

  await applyRetention(db, t0 + 31 * DAY, [site.id]);
  expect(await tablesHolding(db, marker)).toEqual({});
  for (const { table } of FORGOTTEN_AT_RETENTION) {
    expect(await db.sql.select().from(table).where(sql`site_id = ${site.id}`), String(table)).toEqual([]);
  }
  expect(await counts()).toEqual(before); // the day's counts stay
});
