/**
 * The visitors report (DEFINITIONS: "Engagement score") from a hand-computed fixture sent through
 * the real ingest endpoint; the pure score's boundaries are in aggregate/score.test.ts.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { markDirty } from '../db/rollup-queue.ts';
import { setGoals } from '../sites/goals.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite, query } from '../testing/db.ts';
import { engagementScore, scoreSql } from '../aggregate/score.ts';
import { parseQuery, REPORT_PARAMS } from '../api/params.ts';
import { visitorsReport, type VisitorRow } from './visitors.ts';
import type { ReportRange } from './range.ts';
import { NOW, at } from '../testing/clock.ts';

// NOW (testing/clock.ts) is 21:00 in Tokyo: the report ends at 2026-11-11 00:00 Tokyo = 2026-11-10 15:00 UTC

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let range: ReportRange;

async function send(visitor: string, events: ReturnType<typeof event>[]) {
  const res = await app.request('/api/v1/events', beaconInit(batch(site.id, events, { visitor, sentAt: NOW }), site.origin));
  expect(res.status).toBe(202);
}

/** A rollup row written directly: for days older than ingest accepts (7 days). */
async function rollupRow(visitor: string, day: string, lastSeen: string, figures: { sessions: number; pageviews: number }) {
  await query(db, sql`insert into rollup_visitor_days (site_id, day, visitor_id, first_seen, last_seen, sessions, pageviews, first_channel, first_source)
     values (${site.id}, ${day}, ${visitor}, ${new Date(lastSeen)}, ${new Date(lastSeen)}, ${figures.sessions}, ${figures.pageviews}, 'Referral', 'old.example')`);
}

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  range = { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-04', to: '2026-11-10' };
  await setGoals(db.sql, site.id, ['Signup'], NOW);

  // A: two sessions. 9 Nov 10:00 Tokyo from t.co (Organic Social, x): 2 pages, 10 min engaged, a
  // goal (Signup), a custom event, a FAQ vote, a detractor answer, a share. 10 Nov 09:00 Tokyo,
  // direct: 1 page, 5 min engaged, a search, a promoter answer (the latest), a share, a FAQ view, friction.
  await send('A', [
    event({ ts: at(9, 1, 0), url: 'https://s.example/', referrer: 'https://t.co/abc' }),
    event({ ts: at(9, 1, 1), type: 'pageleave', data: { engaged: 600_000, scroll: 50 } }),
    event({ ts: at(9, 1, 2), url: 'https://s.example/pricing' }),
    event({ ts: at(9, 1, 3), type: 'custom', data: { name: 'Signup' } }),
    event({ ts: at(9, 1, 4), type: 'custom', data: { name: 'Clicked' } }),
    event({ ts: at(9, 1, 5), type: 'faq', data: { action: 'vote', article: 'a1', helpful: true } }),
    event({ ts: at(9, 1, 6), type: 'nps', data: { score: 3 } }),
    event({ ts: at(9, 1, 7), type: 'share', data: { network: 'x' } }),
    event({ ts: at(9, 1, 8), type: 'identify', data: { customer: 'cust-1' } }),
  ]);
  await send('A', [
    event({ ts: at(10, 0, 0), url: 'https://s.example/' }),
    event({ ts: at(10, 0, 1), type: 'pageleave', data: { engaged: 300_000, scroll: 20 } }),
    event({ ts: at(10, 0, 2), type: 'faq', data: { action: 'search', query: 'refund', results: 0 } }),
    event({ ts: at(10, 0, 3), type: 'nps', data: { score: 10 } }),
    event({ ts: at(10, 0, 4), type: 'share', data: { network: 'line' } }),
    event({ ts: at(10, 0, 5), type: 'faq', data: { action: 'view', article: 'a1' } }),
    event({ ts: at(10, 0, 6), type: 'friction', data: { kind: 'rage_click', selector: '#buy', count: 3 } }),
  ]);
  // B: 7 Nov 11:56–12:00 Tokyo from Google, last seen 3.5 days before the end: 1 page, 40 min
  // engaged, a goal, a share, then a detractor answer (the latest).
  await send('B', [
    event({ ts: at(7, 2, 56), url: 'https://s.example/signup', referrer: 'https://www.google.com/' }),
    event({ ts: at(7, 2, 57), type: 'pageleave', data: { engaged: 2_400_000, scroll: 100 } }),
    event({ ts: at(7, 2, 58), type: 'custom', data: { name: 'Signup' } }),
    event({ ts: at(7, 2, 59), type: 'share', data: { network: 'x' } }),
    event({ ts: at(7, 3, 0), type: 'nps', data: { score: 6 } }),
  ]);
  // C: one page on 4 Nov 09:00 Tokyo, 6.625 days before the end.
  await send('C', [event({ ts: at(4, 0, 0), url: 'https://s.example/' })]);
  await refreshRollups(db, { siteId: site.id });
  // D: seen on 13 Oct (Tokyo), 28.5 days before the end, and on 11 Oct, a day before the window.
  await rollupRow('D', '2026-10-13', '2026-10-13T03:00:00Z', { sessions: 1, pageviews: 2 });
  await rollupRow('D', '2026-10-11', '2026-10-11T03:00:00Z', { sessions: 5, pageviews: 50 });
});
afterAll(() => db.close());

const ids = (rows: VisitorRow[]) => rows.map((r) => r.visitorId);

describe('reports/visitors', () => {
  it('scores each visitor over the 30 days up to the end of `to`, with its parts', async () => {
    const report = await visitorsReport(db.driver, range);
    expect(report).toMatchObject({
      from: '2026-11-04', to: '2026-11-10', window: { from: '2026-10-12', to: '2026-11-10' }, model: 'v1',
      sort: 'score', order: 'desc', limit: 50, offset: 0, total: 4,
    });
    expect(ids(report.visitorList)).toEqual(['A', 'B', 'C', 'D']);
    const [a, b, c, d] = report.visitorList;
    // A: seen 15 h before the end → 20; 2 sessions → 4; 15 min (5) + 3 pages (1.5); 1 goal (10) + a custom event,
    // a vote, 2 answers, a search (5 × 4) → 20; 2 shares + promoter latest → 20
    expect(a!.score).toEqual({ total: 70.5, segment: 'champion', parts: { recency: 20, frequency: 4, depth: 6.5, interaction: 20, advocacy: 20 } });
    // B: 3.5 days → 20 × 26.5 / 29 = 18.3; 1 session; 40 min (capped 10) + 1 page; the goal once (10, not also 4 as a
    // custom event) + 1 answer; a share, but the latest answer is a detractor → 0
    expect(b!.score).toEqual({ total: 44.8, segment: 'engaged', parts: { recency: 18.3, frequency: 2, depth: 10.5, interaction: 14, advocacy: 0 } });
    // C: 6.625 days → 20 × 23.375 / 29 = 16.1
    expect(c!.score).toEqual({ total: 18.6, segment: 'casual', parts: { recency: 16.1, frequency: 2, depth: 0.5, interaction: 0, advocacy: 0 } });
    // D: 28.5 days → 1.0; its day before the window does not count (1 session, 2 pages, not 6 and 52)
    expect(d!.score).toEqual({ total: 4, segment: 'dormant', parts: { recency: 1, frequency: 2, depth: 1, interaction: 0, advocacy: 0 } });
  });

  it('gives first / last seen, sessions, page views, engaged time, FAQ views, friction, first source and customer id', async () => {
    const { visitorList: visitors } = await visitorsReport(db.driver, range);
    expect(visitors[0]).toMatchObject({
      visitorId: 'A', customerId: 'cust-1',
      firstSeen: '2026-11-09T01:00:00.000Z', lastSeen: '2026-11-10T00:06:00.000Z',
      sessions: 2, pageviews: 3, engagedTimeMs: 900_000, faqViews: 1, frictionEvents: 1,
      firstSource: { channel: 'Organic Social', source: 'x' }, // the earliest session's, not the later direct one
    });
    expect(visitors[1]).toMatchObject({ visitorId: 'B', customerId: null, sessions: 1, engagedTimeMs: 2_400_000, firstSource: { channel: 'Organic Search', source: 'google' } });
    expect(visitors[3]).toMatchObject({ visitorId: 'D', sessions: 1, pageviews: 2, lastSeen: '2026-10-13T03:00:00.000Z', firstSource: { channel: 'Referral', source: 'old.example' } });
  });

  it('takes the window from `to` alone: `from` does not change the figures', async () => {
    const narrow = await visitorsReport(db.driver, { ...range, from: '2026-11-10' });
    expect(narrow.total).toBe(4);
    expect(narrow.visitorList.map((v) => v.score.total)).toEqual([70.5, 44.8, 18.6, 4]);
    // ending on 9 Nov: the window is 11 Oct–9 Nov, and recency is measured to 10 Nov 00:00 Tokyo
    const earlier = await visitorsReport(db.driver, { ...range, to: '2026-11-09' });
    expect(earlier.window).toEqual({ from: '2026-10-11', to: '2026-11-09' });
    const d = earlier.visitorList.find((v) => v.visitorId === 'D')!;
    expect(d).toMatchObject({ sessions: 6, pageviews: 52 });
    const a = earlier.visitorList.find((v) => v.visitorId === 'A')!;
    // A on 9 Nov only: 1 session, 2 pages, 10 min; the detractor answer is the latest → advocacy 0
    expect(a).toMatchObject({ sessions: 1, pageviews: 2, engagedTimeMs: 600_000 });
    expect(a.score.parts).toEqual({ recency: 20, frequency: 2, depth: 4.3, interaction: 20, advocacy: 0 });
  });

  it('sorts by each key, both ways, visitor id breaking ties, and paginates with the total count', async () => {
    const order = async (params: Parameters<typeof visitorsReport>[2]) => ids((await visitorsReport(db.driver, range, params)).visitorList);
    expect(await order({ sort: 'score', order: 'asc' })).toEqual(['D', 'C', 'B', 'A']);
    expect(await order({ sort: 'lastSeen' })).toEqual(['A', 'B', 'C', 'D']);
    expect(await order({ sort: 'firstSeen', order: 'asc' })).toEqual(['D', 'C', 'B', 'A']);
    expect(await order({ sort: 'sessions' })).toEqual(['A', 'B', 'C', 'D']);
    expect(await order({ sort: 'sessions', order: 'asc' })).toEqual(['B', 'C', 'D', 'A']);
    expect(await order({ sort: 'pageviews' })).toEqual(['A', 'D', 'B', 'C']);
    expect(await order({ sort: 'engagedTimeMs' })).toEqual(['B', 'A', 'C', 'D']);
    const page = await visitorsReport(db.driver, range, { sort: 'score', limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(ids(page.visitorList)).toEqual(['B', 'C']);
    expect((await visitorsReport(db.driver, range, { offset: 10 })).visitorList).toEqual([]);
  });

  it('reads sort, order, limit and offset from the query, and refuses bad ones naming the parameter', () => {
    const params = (query: Record<string, string>) => parseQuery(REPORT_PARAMS.visitors, query) as { limit: number };
    expect(params({})).toEqual({ sort: 'score', order: 'desc', limit: 50, offset: 0 });
    expect(params({ sort: 'sessions', order: 'asc', limit: '10', offset: '20' })).toEqual({ sort: 'sessions', order: 'asc', limit: 10, offset: 20 });
    expect(params({ limit: '500' }).limit).toBe(500);
    for (const [field, value] of [['sort', 'name'], ['order', 'up'], ['limit', '0'], ['limit', '501'], ['limit', '1.5'], ['limit', 'ten'], ['offset', '-1'], ['offset', '9223372036854775808']]) {
      expect(() => params({ [field!]: value! }), `${field}=${value}`).toThrow(expect.objectContaining({ name: 'InvalidInput', field, message: expect.stringMatching(`^invalid ${field}`) }));
    }
  });

  it('sorts by the same score it shows: the SQL and engagementScore agree, ties included', async () => {
    // A grid of visitors whose totals tie often and fall on rounding edges; each row is one day of the window.
    const grid = await testSite(db, { timezone: 'Asia/Tokyo' });
    const rows = [];
    for (let i = 0; i < 120; i++) {
      const lastSeen = new Date(Date.UTC(2026, 10, 10, 15) - (i % 29) * 86_400_000 - (1 + ((i * 7919) % 86_399)) * 1000);
      rows.push({
        visitor_id: `g${String(i).padStart(3, '0')}`, day: localDay(lastSeen), last_seen: lastSeen, sessions: i % 12,
        pageviews: (i * 3) % 23, engaged_ms: (i * 61_001) % 2_000_000, custom_events: i % 4, goal_conversions: i % 3 === 0 ? 1 : 0,
        faq_votes: i % 2, nps_answers: i % 5 === 0 ? 1 : 0, nps_last: i % 5 === 0 ? i % 11 : null, searches: i % 3, shares: i % 3,
      });
    }
    await query(db, sql`insert into rollup_visitor_days (site_id, day, visitor_id, first_seen, last_seen, sessions, pageviews, engaged_ms, custom_events,
         goal_conversions, faq_votes, nps_answers, nps_last, nps_last_at, searches, shares)
       select ${grid.id}, day, visitor_id, last_seen, last_seen, sessions, pageviews, engaged_ms, custom_events, goal_conversions, faq_votes,
         nps_answers, nps_last, case when nps_last is not null then last_seen end, searches, shares
       from json_to_recordset(${JSON.stringify(rows)}::json) as t(day date, visitor_id text, last_seen timestamptz, sessions int, pageviews int,
         engaged_ms bigint, custom_events int, goal_conversions int, faq_votes int, nps_answers int, nps_last int, searches int, shares int)`);
    // every part and total computed by the SQL equals engagementScore's, to the bit
    const scored = await query<Record<string, number | string | null>>(db, sql`with a as (select visitor_id, last_seen, sessions, pageviews, engaged_ms, custom_events, goal_conversions, faq_votes,
         nps_answers, searches, shares, nps_last as latest_nps from rollup_visitor_days where site_id = ${grid.id} and day between ${'2026-10-12'}::date and ${'2026-11-10'}::date)
       ${scoreSql('a', { to: '2026-11-10', timezone: 'Asia/Tokyo' })}`);
    expect(scored).toHaveLength(120);
    for (const r of scored) {
      const js = engagementScore({
        daysSinceLastSeen: Number(r.days_since), sessions: Number(r.sessions), pageviews: Number(r.pageviews), engagedMs: Number(r.engaged_ms),
        customEvents: Number(r.custom_events), goalConversions: Number(r.goal_conversions), faqVotes: Number(r.faq_votes),
        npsAnswers: Number(r.nps_answers), searches: Number(r.searches), shares: Number(r.shares),
        latestNps: r.latest_nps === null ? null : Number(r.latest_nps),
      });
      const fromSql = { recency: r.recency, frequency: r.frequency, depth: r.depth, interaction: r.interaction, advocacy: r.advocacy };
      expect({ visitor: r.visitor_id, total: Number(r.total), parts: mapValues(fromSql, Number) }).toEqual({ visitor: r.visitor_id, total: js.total, parts: js.parts });
    }
    // and so the report's order is the order of the totals it shows, visitor id breaking ties
    for (const order of ['desc', 'asc'] as const) {
      const { visitorList: visitors, total } = await visitorsReport(db.driver, { ...range, siteId: grid.id }, { sort: 'score', order, limit: 500 });
      expect(total).toBe(120);
      const expected = [...visitors].sort(
        (x, y) => (order === 'desc' ? y.score.total - x.score.total : x.score.total - y.score.total) || (x.visitorId < y.visitorId ? -1 : 1),
      );
      expect(ids(visitors)).toEqual(ids(expected));
    }
  });

  it('reads the same rows from visitor_windows, filled by the rollup job for `to`, as from the rollups', async () => {
    const all = async () => {
      const out = [];
      for (const sort of ['score', 'lastSeen', 'firstSeen', 'sessions', 'pageviews', 'engagedTimeMs'] as const) {
        for (const order of ['desc', 'asc'] as const) {
          for (const [limit, offset] of [[50, 0], [2, 1]] as const) {
            // and filtered: the visitors with a session from X (A's first)
            for (const p of [{ sort, order, limit, offset }, { sort, order, limit, offset, network: 'x' }])
              out.push([await visitorsReport(db.driver, range, p), await visitorsReport(db.driver, range, p, { noWindows: true })]);
          }
        }
      }
      return out;
    };
    const windowRows = async () =>
      Number((await query<{ n: string | number }>(db, sql`select count(*) as n from visitor_windows where site_id = ${site.id} and as_of = '2026-11-10'`))[0]!.n);
    // the rollup job, run on 10 Nov (Tokyo) with a day of the window dirty, fills the window for that date
    await markDirty(db.sql, site.id, ['2026-11-10']);
    await refreshRollups(db, { siteId: site.id, now: NOW });
    expect(await windowRows()).toBe(4);
    const first = await all();
    for (const [fromTable, fromRollups] of first) expect(fromTable).toEqual(fromRollups);
    // the filter keeps A alone, with all of A's sessions
    expect(first[1]![0]).toMatchObject({ total: 1, visitorList: [{ visitorId: 'A', sessions: 2 }] });
    // a later event of C: only the rebuilt day's visitors are recomputed, and still agree
    await send('C', [event({ ts: at(10, 5, 0), url: 'https://s.example/faq' })]);
    await refreshRollups(db, { siteId: site.id, now: NOW });
    const reports = await all();
    expect(reports[0]![0].visitorList.find((v) => v.visitorId === 'C')).toMatchObject({ sessions: 2, pageviews: 2 });
    for (const [fromTable, fromRollups] of reports) expect(fromTable).toEqual(fromRollups);
    // B's one day rebuilt without B (its raw events gone): B, listed from before the rebuild, loses its row
    await query(db, sql`delete from events where site_id = ${site.id} and visitor_id = 'B'`);
    await query(db, sql`delete from sessions where site_id = ${site.id} and visitor_id = 'B'`);
    await markDirty(db.sql, site.id, ['2026-11-07']);
    await refreshRollups(db, { siteId: site.id, now: NOW });
    expect(await windowRows()).toBe(3);
    for (const [fromTable, fromRollups] of await all()) expect(fromTable).toEqual(fromRollups);
    // other dates of `to` read the rollups
    expect(await visitorsReport(db.driver, { ...range, to: '2026-11-09' })).toEqual(await visitorsReport(db.driver, { ...range, to: '2026-11-09' }, {}, { noWindows: true }));
    // the next day (Tokyo) without any traffic: no day is dirty, but the window moves to the new date
    const nextDay = NOW + 86_400_000;
    await refreshRollups(db, { siteId: site.id, now: nextDay });
    const dates = await query<{ as_of: string }>(db, sql`select distinct to_char(as_of, 'YYYY-MM-DD') as as_of from visitor_windows where site_id = ${site.id}`);
    expect(dates).toEqual([{ as_of: '2026-11-11' }]);
    const next = { ...range, to: '2026-11-11' };
    expect(await visitorsReport(db.driver, next)).toEqual(await visitorsReport(db.driver, next, {}, { noWindows: true }));
    await query(db, sql`delete from visitor_windows where site_id = ${site.id}`);
  });

  it('never leaves visitor_windows behind the rollups when a transaction of the job fails: the day is redone', async () => {
    const page = { sort: 'score', order: 'desc', limit: 50 } as const;
    const agree = async (when: string) =>
      expect(await visitorsReport(db.driver, range, page), when).toEqual(await visitorsReport(db.driver, range, page, { noWindows: true }));
    await refreshRollups(db, { siteId: site.id, now: NOW });
    let failures = 0;
    for (const n of [1, 2, 3]) {
      // C comes back on 9 and 10 Nov: two days of the window to rebuild, C's figures change
      await send('C', [event({ ts: at(9, 8, n), url: 'https://s.example/pricing' })]);
      await send('C', [event({ ts: at(10, 8, n), url: 'https://s.example/pricing' })]);
      // the job's nth transaction rolls back at its end, as a connection lost at the commit would
      await refreshRollups(failingAt(n), { siteId: site.id, now: NOW }).catch((err: Error) => {
        expect(err.message).toBe('connection lost');
        failures++;
      });
      await refreshRollups(db, { siteId: site.id, now: NOW });
      await agree(`after the transaction ${n} failed`);
    }
    expect(failures).toBeGreaterThanOrEqual(2);
    expect((await visitorsReport(db.driver, range, page)).visitorList.find((v) => v.visitorId === 'C')!.pageviews).toBeGreaterThanOrEqual(6);
  });
});

/** The test database, but its `n`th transaction rolls back after its last statement. */
function failingAt(n: number): Db {
  let count = 0;
  const transaction: Db['sql']['transaction'] = (run, config) =>
    db.sql.transaction(async (tx) => {
      const result = await run(tx);
      if (++count === n) throw new Error('connection lost');
      return result;
    }, config);
  return { ...db, sql: new Proxy(db.sql, { get: (target, key) => (key === 'transaction' ? transaction : Reflect.get(target, key, target)) }) };
}

const mapValues = <T,>(o: Record<string, T>, f: (v: T) => number) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
const localDay = (t: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(t);
