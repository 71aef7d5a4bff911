/**
 * Right to erasure (CONTRACT §4): after `erase` and the rollup job, nothing of the person (every
 * visitor id of their customer; by customer id, their sessions on a shared device too) is left in
 * any table, and everyone else is untouched.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { setGoals } from '../sites/goals.ts';
import { event } from '../testing/beacon.ts';
import { tablesHolding, testDb, testSite, query } from '../testing/db.ts';
import { erase } from './erase.ts';
import { NOW, at, send as sendAs } from '../testing/clock.ts';


let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

const send = (visitor: string, events: ReturnType<typeof event>[]) => sendAs(app, site, visitor, events);

/** Tables with a visitor id, and how to find a visitor's rows in them. */
const BY_VISITOR = {
  events: (siteId: string, visitor: string) => sql`select id, session_id, type, ts, path, data from events where site_id = ${siteId} and visitor_id = ${visitor} order by ts, id`,
  sessions: (siteId: string, visitor: string) => sql`select * from sessions where site_id = ${siteId} and visitor_id = ${visitor} order by started_at`,
  visitors: (siteId: string, visitor: string) => sql`select * from visitors where site_id = ${siteId} and id = ${visitor}`,
  rollup_visitor_days: (siteId: string, visitor: string) => sql`select * from rollup_visitor_days where site_id = ${siteId} and visitor_id = ${visitor} order by day`,
  rollup_goals: (siteId: string, visitor: string) => sql`select * from rollup_goals where site_id = ${siteId} and visitor_id = ${visitor} order by day`,
  visitor_windows: (siteId: string, visitor: string) => sql`select * from visitor_windows where site_id = ${siteId} and visitor_id = ${visitor}`,
  session_journeys: (siteId: string, visitor: string) => sql`select j.* from session_journeys j where j.site_id = ${siteId} and j.session_id in
    (select id from sessions where site_id = ${siteId} and visitor_id = ${visitor}) order by day`,
};
const rowsOf = async (visitor: string) =>
  Object.fromEntries(await Promise.all(Object.entries(BY_VISITOR).map(async ([table, find]) => [table, await query(db, find(site.id, visitor))])));
const dirtyDays = async () =>
  (await query<{ day: string }>(db, sql`select to_char(day, 'YYYY-MM-DD') as day from rollup_queue where site_id = ${site.id} order by day`)).map((r) => r.day);
const OLD_SESSION = '00000000-0000-4000-8000-0000000000e1';

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  await setGoals(db.sql, site.id, ['Signup'], NOW);
  // E1 (a phone) and E2 (a laptop) are one customer, cust-E. E1 searched for their own name, on
  // the site and on Yahoo! JAPAN, which brought them there.
  await send('E1', [
    event({ ts: at(9, 1, 0), url: 'https://s.example/secret-page', referrer: 'https://search.yahoo.co.jp/search?p=jane+doe+address' }),
    event({ ts: at(9, 1, 1), type: 'faq', data: { action: 'search', query: 'my name is jane', results: 0 } }),
    event({ ts: at(9, 1, 2), type: 'custom', data: { name: 'Signup' } }),
    event({ ts: at(9, 1, 3), type: 'identify', data: { customer: 'cust-E' } }),
  ]);
  await send('E2', [
    event({ ts: at(8, 1, 0), url: 'https://s.example/' }),
    event({ ts: at(8, 1, 1), type: 'identify', data: { customer: 'cust-E' } }),
    event({ ts: at(8, 1, 2), type: 'custom', data: { name: 'Signup' } }),
  ]);
  // K and N: other people, on the same days and pages.
  await send('K', [event({ ts: at(9, 2, 0), url: 'https://s.example/' }), event({ ts: at(9, 2, 1), type: 'custom', data: { name: 'Signup' } })]);
  await send('K', [event({ ts: at(8, 5, 0), url: 'https://s.example/pricing' })]);
  await send('N', [event({ ts: at(9, 4, 0), url: 'https://s.example/' })]);
  await refreshRollups(db, { siteId: site.id });
  // E1 in 2025, long past the 400 days of raw events kept: a session (sessions are kept) and its rollups.
  await query(db, sql`insert into sessions (id, site_id, visitor_id, started_at, ended_at, landing_url, landing_path, exit_path)
     values (${OLD_SESSION}, ${site.id}, 'E1', '2025-01-01T01:00:00Z', '2025-01-01T01:00:00Z', 'https://s.example/', '/', '/')`);
  await query(db, sql`insert into rollup_visitor_days (site_id, day, visitor_id, first_seen, last_seen, sessions) values (${site.id}, '2025-01-01', 'E1', ${new Date('2025-01-01T01:00:00Z')}, ${new Date('2025-01-01T01:00:00Z')}, 1)`);
  await query(db, sql`insert into rollup_days (site_id, day, visitors, sessions) values (${site.id}, '2025-01-01', 7, 7)`);
});
afterAll(() => db.close());

describe('erase by visitor id', () => {
  it('erases every visitor id of the customer from every table, and recomputes their days without them', async () => {
    const k = await rowsOf('K');
    const n = await rowsOf('N');
    expect(k.events).toHaveLength(3);
    expect(k.rollup_goals).toHaveLength(1);
    expect(k.session_journeys).toHaveLength(2);
    expect((await rowsOf('E1')).visitor_windows).toHaveLength(1);
    const searchTerms = sql`select term from rollup_search_terms where site_id = ${site.id}`;
    expect(await query(db, searchTerms)).toEqual([{ term: 'jane doe address' }]);

    const erased = await erase(db, site.id, { visitorId: 'E1' }, NOW);
    expect(erased).toMatchObject({ visitors: 2, events: 7, sessions: 3 });
    // the answer says what went from each table kept per visitor
    expect(erased.rows).toMatchObject({ session_journeys: 2, rollup_goals: 2, visitor_windows: 2 });
    expect(erased.rows.rollup_visitor_days).toBe(3); // 8 and 9 Nov, and the 2025 day
    // their days within the kept raw events are dirty; 2025-01-01 is not: it cannot be recomputed
    expect(await dirtyDays()).toEqual(['2026-11-08', '2026-11-09']);
    await refreshRollups(db, { siteId: site.id });

    for (const visitor of ['E1', 'E2']) {
      const left = await rowsOf(visitor);
      for (const table of Object.keys(BY_VISITOR)) expect(left[table], `${table} of ${visitor}`).toEqual([]);
    }
    expect(await query(db, sql`select * from session_journeys where site_id = ${site.id} and session_id = ${OLD_SESSION}`)).toEqual([]);
    // the anonymous aggregates are recomputed without them: their page and their search are gone
    expect(await query(db, sql`select * from rollup_searches where site_id = ${site.id}`)).toEqual([]);
    expect(await query(db, searchTerms)).toEqual([]);
    expect(await query(db, sql`select * from rollup_pages where site_id = ${site.id} and path = '/secret-page'`)).toEqual([]);
    expect(
      await query(db, sql`select to_char(day, 'YYYY-MM-DD') as day, visitors, sessions from rollup_days where site_id = ${site.id} order by day`),
    ).toEqual([
      { day: '2025-01-01', visitors: 7, sessions: 7 }, // left as it was
      { day: '2026-11-08', visitors: 1, sessions: 1 },
      { day: '2026-11-09', visitors: 2, sessions: 2 },
    ]);
    // everyone else is untouched
    expect(await rowsOf('K')).toEqual(k);
    expect(await rowsOf('N')).toEqual(n);
  });

  it('erases a visitor without a customer id alone', async () => {
    expect(await erase(db, site.id, { visitorId: 'N' }, NOW)).toMatchObject({ visitors: 1, events: 1, sessions: 1 });
    expect((await rowsOf('K')).visitors).toHaveLength(1);
  });

  it('erases nothing for an unknown visitor or site', async () => {
    expect(await erase(db, site.id, { visitorId: 'nobody' }, NOW)).toMatchObject({ visitors: 0, events: 0, sessions: 0 });
    expect(await erase(db, site.id, { customerId: 'nobody' }, NOW)).toMatchObject({ visitors: 0, events: 0, sessions: 0 });
    expect(await erase(db, 'no-such-site', { visitorId: 'K' }, NOW)).toEqual({ visitors: 0, events: 0, sessions: 0, rows: {} });
    expect((await rowsOf('K')).events).toHaveLength(3);
  });
});

describe('erase by customer id', () => {
  it('erases every visitor id of the customer, and their signed-in sessions on a shared device, leaving the other customer', async () => {
    const shared = await testSite(db, { timezone: 'Asia/Tokyo' });
    const sendTo = (visitor: string, events: ReturnType<typeof event>[]) => sendAs(app, shared, visitor, events);
    // Ayaka's phone; then a family tablet: Ayaka signs in, searches, and later Ben signs in on it
    await sendTo('ayaka-phone', [event({ ts: at(9, 1, 0) }), event({ ts: at(9, 1, 1), type: 'identify', data: { customer: 'cust-ayaka', traits: { plan: 'gold' } } })]);
    await sendTo('tablet', [
      event({ ts: at(9, 2, 0), url: 'https://s.example/account' }),
      event({ ts: at(9, 2, 1), type: 'identify', data: { customer: 'cust-ayaka', traits: { plan: 'gold' } } }),
      event({ ts: at(9, 2, 2), type: 'faq', data: { action: 'search', query: 'ayaka-private-search', results: 0 } }),
    ]);
    await sendTo('tablet', [
      event({ ts: at(9, 5, 0), url: 'https://s.example/' }),
      event({ ts: at(9, 5, 1), type: 'identify', data: { customer: 'cust-ben' } }),
    ]);
    await refreshRollups(db, { siteId: shared.id });
    expect(await tablesHolding(db, 'cust-ayaka')).not.toEqual({});

    const erased = await erase(db, shared.id, { customerId: 'cust-ayaka' }, NOW);
    expect(erased).toMatchObject({ visitors: 1, events: 5, sessions: 2 });
    await refreshRollups(db, { siteId: shared.id });

    // nothing of hers anywhere: not her id, not her traits' session, not her search
    expect(await tablesHolding(db, 'cust-ayaka')).toEqual({});
    expect(await tablesHolding(db, 'ayaka-private-search')).toEqual({});
    expect(await tablesHolding(db, 'ayaka-phone')).toEqual({});
    // Ben's session on the tablet stays, and the tablet is his
    const tablet = await query<{ customer_id: string }>(db, sql`select customer_id from visitors where site_id = ${shared.id} and id = 'tablet'`);
    expect(tablet).toEqual([{ customer_id: 'cust-ben' }]);
    const left = await query<{ type: string }>(db, sql`select type from events where site_id = ${shared.id} order by ts`);
    expect(left.map((e) => e.type)).toEqual(['pageview', 'identify']);
  });

  it('answers DELETE /customers/:id with what it removed, for the site token only', async () => {
    const other = await testSite(db);
    await sendAs(app, other, 'z1', [event({ ts: at(9, 3, 0) }), event({ ts: at(9, 3, 1), type: 'identify', data: { customer: 'cust-z' } })]);
    const del = (token: string) => app.request(`/api/v1/sites/${other.id}/customers/cust-z`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect((await del(site.token)).status).toBe(403);
    const res = await del(other.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ site: other.id, erased: { visitors: 1, events: 2, sessions: 1 } });
  });
});
