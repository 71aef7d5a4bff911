/**
 * The overview report from a hand-computed fixture (DEFINITIONS: sessions, engaged sessions,
 * bounce rate, returning visitors, NPS), sent through the real ingest endpoint.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { event } from '../testing/beacon.ts';
import { testDb, testSite, query } from '../testing/db.ts';
import { NOW, at, send as sendAs } from '../testing/clock.ts';


let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

const send = (visitor: string, events: ReturnType<typeof event>[]) => sendAs(app, site, visitor, events);
const report = async (query = '') => {
  const res = await app.request(`/api/v1/sites/${site.id}/reports/overview${query}`, { headers: { authorization: `Bearer ${site.token}` } });
  const json = res.headers.get('content-type')?.includes('json');
  return { status: res.status, body: json ? await res.json() : await res.text(), res };
};

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  // Visitor A, 9 Nov (Tokyo): one page, 4 s engaged → a bounce. Then 9 Nov again 45 min later: a
  // second session (gap > 30 min) of 2 pages → engaged, and returning.
  await send('A', [
    event({ ts: at(9, 1, 0), url: 'https://s.example/' }),
    event({ ts: at(9, 1, 1), type: 'pageleave', data: { engaged: 4000, scroll: 50 } }),
    event({ ts: at(9, 1, 46), url: 'https://s.example/pricing' }),
    event({ ts: at(9, 1, 50), url: 'https://s.example/signup' }),
    event({ ts: at(9, 1, 51), type: 'nps', data: { score: 3 } }),
    event({ ts: at(9, 1, 52), type: 'nps', data: { score: 10 } }), // A's latest answer: a promoter
  ]);
  // Visitor B, 10 Nov (Tokyo; 9 Nov 23:30 UTC): one page, 12 s engaged → engaged session; a detractor.
  await send('B', [
    event({ ts: at(9, 23, 30), url: 'https://s.example/faq' }),
    event({ ts: at(9, 23, 31), type: 'pageleave', data: { engaged: 12_000, scroll: 80 } }),
    event({ ts: at(9, 23, 32), type: 'nps', data: { score: 6 } }),
  ]);
  // Visitor C, 3 Nov 22:00 Tokyo: in the previous period of a 7-day range ending 10 Nov (28 Oct–3 Nov),
  // and just within the 7 days ingest accepts.
  await send('C', [event({ ts: at(3, 13, 0), url: 'https://s.example/' })]);
  // what the maintenance job does every few seconds
  expect(await refreshRollups(db, { now: NOW })).toBeGreaterThan(0);
});
afterAll(() => db.close());

describe('reports/overview', () => {
  it('counts visitors, sessions, page views and engagement as DEFINITIONS says', async () => {
    const { status, body } = await report('?from=2026-11-04&to=2026-11-10');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      site: site.id,
      from: '2026-11-04',
      to: '2026-11-10',
      timezone: 'Asia/Tokyo',
      visitors: 2,
      sessions: 3,
      pageviews: 4,
      engagedSessions: 2,
      bounceRate: 0.333,
      avgEngagedTimeMs: 5333, // (4 + 12) s / 3 sessions
      returningVisitors: 1,
      nps: { score: 0, responses: 2, promoters: 1, passives: 0, detractors: 1 },
    });
  });

  it('puts each session on its day in the site time zone, with no gaps in the series', async () => {
    const { body } = await report('?from=2026-11-04&to=2026-11-10');
    expect(body.series).toHaveLength(7);
    expect(body.series.find((d: { date: string }) => d.date === '2026-11-09')).toEqual({ date: '2026-11-09', visitors: 1, sessions: 2, pageviews: 3, engagedSessions: 1 });
    expect(body.series.find((d: { date: string }) => d.date === '2026-11-10')).toEqual({ date: '2026-11-10', visitors: 1, sessions: 1, pageviews: 1, engagedSessions: 1 });
    expect(body.series[0]).toEqual({ date: '2026-11-04', visitors: 0, sessions: 0, pageviews: 0, engagedSessions: 0 });
  });

  it('gives the same figures for the previous period of the same length', async () => {
    const { body } = await report('?from=2026-11-04&to=2026-11-10');
    expect(body.previous).toMatchObject({ from: '2026-10-28', to: '2026-11-03', visitors: 1, sessions: 1, pageviews: 1, bounceRate: 1 });
  });

  it('defaults to the 30 days up to today in the site time zone', async () => {
    const { body } = await report();
    expect(body).toMatchObject({ from: '2026-10-12', to: '2026-11-10', visitors: 3, sessions: 4 });
  });

  it("reads the default range's visitors, returning visitors and NPS from the job's window, to the same figures", async () => {
    const windowRows = async () =>
      Number((await query<{ n: number }>(db, sql`select count(*)::int as n from visitor_windows where site_id = ${site.id} and as_of = '2026-11-10'`))[0]!.n);
    expect(await windowRows()).toBe(3);
    const fromWindow = (await report()).body;
    expect(fromWindow).toMatchObject({ visitors: 3, returningVisitors: 1, nps: { score: 0, responses: 2, promoters: 1, passives: 0, detractors: 1 } });
    // it is the window that is read: a tampered row shows
    await query(db, sql`update visitor_windows set returning_sessions = 0 where site_id = ${site.id}`);
    expect((await report()).body.returningVisitors).toBe(0);
    await query(db, sql`delete from visitor_windows where site_id = ${site.id}`);
    expect((await report()).body).toEqual(fromWindow); // grouped from rollup_visitor_days
    await refreshRollups(db, { siteId: site.id, now: NOW }); // the window comes back with no dirty day
    expect(await windowRows()).toBe(3);
  });

  it('answers CSV of the daily series', async () => {
    const { res, body } = await report('?from=2026-11-09&to=2026-11-10&format=csv');
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(body).toBe('date,visitors,sessions,pageviews,engagedSessions\r\n2026-11-09,1,2,3,1\r\n2026-11-10,1,1,1,1\r\n');
  });

  it('filters by the landing page, from the sessions of the range: figures, series, previous period and NPS', async () => {
    const pricing = (await report('?from=2026-11-04&to=2026-11-10&page=/pricing')).body;
    // A's second session: 2 pages → engaged, returning; its latest answer 10
    expect(pricing).toMatchObject({
      visitors: 1, sessions: 1, pageviews: 2, engagedSessions: 1, bounceRate: 0, avgEngagedTimeMs: 0, returningVisitors: 1,
      nps: { score: 100, responses: 1, promoters: 1, passives: 0, detractors: 0 },
      previous: { from: '2026-10-28', to: '2026-11-03', sessions: 0 },
    });
    expect(pricing.series.filter((d: { sessions: number }) => d.sessions > 0)).toEqual([
      { date: '2026-11-09', visitors: 1, sessions: 1, pageviews: 2, engagedSessions: 1 },
    ]);
    // B's session started 9 Nov 23:30 UTC: 10 Nov in Tokyo; 12 s engaged; a detractor
    expect((await report('?from=2026-11-10&to=2026-11-10&page=/faq')).body).toMatchObject({
      visitors: 1, sessions: 1, engagedSessions: 1, avgEngagedTimeMs: 12_000, nps: { score: -100, responses: 1, detractors: 1 },
    });
    // / : A's first session (a bounce) in the range, C's in the previous period
    expect((await report('?from=2026-11-04&to=2026-11-10&page=/')).body).toMatchObject({
      sessions: 1, bounceRate: 1, avgEngagedTimeMs: 4000, nps: { responses: 0 }, previous: { sessions: 1, visitors: 1 },
    });
  });

  it('gives the rollups\' figures when a filter keeps every session, and zeros when it keeps none', async () => {
    const all = (await report('?from=2026-11-04&to=2026-11-10')).body;
    const desktop = (await report('?from=2026-11-04&to=2026-11-10&device=desktop&channel=Direct')).body;
    expect(desktop).toEqual(all);
    expect((await report('?from=2026-11-04&to=2026-11-10&device=mobile')).body).toMatchObject({ visitors: 0, sessions: 0, nps: { score: null } });
    expect((await report('?from=2026-11-04&to=2026-11-10&channel=Organic%20Search')).body).toMatchObject({ sessions: 0 });
    expect((await report('?from=2026-11-04&to=2026-11-10&country=JP')).body).toMatchObject({ sessions: 0 }); // 127.0.0.1 has no country
  });

  it('answers 400 naming a bad filter', async () => {
    for (const [q, field] of [['channel=Nope', 'channel'], ['device=tablet', 'device'], ['country=jp', 'country'], ['page=pricing', 'page'], ['network=X%20Y', 'network']]) {
      const { status, body } = await report(`?${q}`);
      expect(status, q).toBe(400);
      expect(body.field, q).toBe(field);
    }
  });

  it('refuses a missing or foreign token and a bad range', async () => {
    expect((await app.request(`/api/v1/sites/${site.id}/reports/overview`)).status).toBe(401);
    const other = await testSite(db);
    const foreign = await app.request(`/api/v1/sites/${site.id}/reports/overview`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(foreign.status).toBe(403);
    expect((await report('?from=2026-13-01')).status).toBe(400);
    expect((await report('?from=2026-11-10&to=2026-11-01')).status).toBe(400);
  });
});
