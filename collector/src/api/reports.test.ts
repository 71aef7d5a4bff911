/**
 * The report API over HTTP (CONTRACT §4): every report answers JSON with its contract figures and
 * CSV; one visitor's timeline; erasure; goals settings. The figures themselves are pinned by each
 * report's own test.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite, query } from '../testing/db.ts';
import { NOW } from '../testing/clock.ts';
import { sites } from '../db/schema.ts';
import { BOM } from '../lib/csv.ts';
import { REPORTS, REPORT_NAMES } from '../reports/index.ts';
import { tableCsv, type Table } from '../reports/table.ts';
import { createToken } from '../sites/tokens.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

const api = (path: string, init: RequestInit = {}) =>
  app.request(`/api/v1/sites/${site.id}${path}`, { ...init, headers: { authorization: `Bearer ${site.token}`, ...init.headers } });

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  const put = await api('/settings/goals', { method: 'PUT', body: JSON.stringify({ goals: ['Signup'] }), headers: { 'content-type': 'application/json' } });
  expect(await put.json()).toEqual({ goals: ['Signup'] });
  const landing = 'https://s.example/?utm_source=x&utm_medium=social&utm_campaign=launch';
  for (const visitor of ['alice', 'bob']) {
    const res = await app.request(
      '/api/v1/events',
      beaconInit(
        batch(site.id, [
          event({ ts: NOW - 60_000, url: landing, referrer: 'https://t.co/abc', data: { vw: 390 } }),
          event({ ts: NOW - 50_000, type: 'custom', data: { name: 'Signup' } }),
          event({ ts: NOW - 40_000, type: 'faq', url: 'https://s.example/faq', data: { action: 'view', article: 'returns' } }),
        ], { visitor, sentAt: NOW }),
        site.origin,
      ),
    );
    expect(res.status).toBe(202);
  }
  const before = await (await api('/reports/overview?from=2026-11-10&to=2026-11-10')).json();
  expect(before).toMatchObject({ pendingDays: 1, sessions: 0 }); // reports read rollups as they are
  await refreshRollups(db, { now: NOW }); // what the maintenance job does every few seconds
});
afterAll(() => db.close());

describe('reports', () => {
  it.each([
    ['overview', ['visitors', 'sessions', 'pageviews', 'engagedSessions', 'bounceRate', 'avgEngagedTimeMs', 'returningVisitors', 'nps', 'series', 'previous']],
    ['acquisition', ['channels', 'networks', 'campaigns', 'landingPages', 'sharesByNetwork']],
    ['usability', ['pages', 'friction', 'hotSpots', 'notFound', 'slowestPages', 'loopSessions', 'frustratedSessions']],
    ['faq', ['articles', 'searches', 'selfServiceRate', 'escalations']],
    ['visitors', ['visitorList', 'total', 'model']],
    ['journeys', ['topPaths', 'funnel']],
    ['goals', ['goals', 'visitors']],
    ['events', ['eventList', 'names']],
  ])('%s answers JSON with its figures, and CSV', async (name, keys) => {
    const res = await api(`/reports/${name}?from=2026-11-04&to=2026-11-10&steps=/,event:Signup`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ site: site.id, report: name, pendingDays: 0 });
    for (const key of keys) expect(body).toHaveProperty(key);
    const csv = await api(`/reports/${name}?from=2026-11-04&to=2026-11-10&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
  });

  it('counts both visitors in the overview and the goal', async () => {
    const overview = await (await api('/reports/overview?from=2026-11-10&to=2026-11-10')).json();
    expect(overview).toMatchObject({ visitors: 2, sessions: 2, engagedSessions: 2 });
    const goals = await (await api('/reports/goals?from=2026-11-10&to=2026-11-10')).json();
    expect(goals.goals[0]).toMatchObject({ goal: 'Signup', conversions: 2, convertingVisitors: 2, conversionRate: 1 });
  });

  /** The CSV as sent, its byte-order mark kept (`Response.text()` drops it). */
  const csvOf = async (res: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  const tableOf = (name: (typeof REPORT_NAMES)[number], table: string) => (REPORTS[name].tables as Record<string, Table<object>>)[table]!;

  it('lists its tables in the JSON, and answers each as CSV with a BOM and its columns, each row with those keys only', async () => {
    for (const name of REPORT_NAMES) {
      const body = await (await api(`/reports/${name}?from=2026-11-04&to=2026-11-10&steps=/,event:Signup`)).json();
      expect(body.tables, name).toEqual(Object.keys(REPORTS[name].tables));
      for (const table of body.tables as string[]) {
        const res = await api(`/reports/${name}?from=2026-11-04&to=2026-11-10&steps=/,event:Signup&format=csv&table=${table.toLowerCase()}`);
        expect(res.status, `${name} ${table}`).toBe(200);
        const csv = await csvOf(res);
        expect(csv.startsWith(BOM + tableOf(name, table).columns.join(',') + '\r\n'), `${name} ${table}`).toBe(true);
        expect(csv, `${name} ${table}`).toBe(tableCsv(tableOf(name, table), body));
        for (const row of tableOf(name, table)(body)) expect(Object.keys(row), `${name} ${table}`).toEqual(tableOf(name, table).columns);
      }
    }
    const networks = await (await api('/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=networks')).text();
    expect(networks.split('\r\n').slice(0, 2)).toEqual([
      'network,sessions,visitors,engagedSessions,engagedRate,conversions,inAppSessions,inAppShare',
      'x,2,2,2,1,2,0,0',
    ]);
  });

  it('answers the header row of every table over a range without data', async () => {
    const withRows: string[] = [];
    for (const name of REPORT_NAMES) {
      const body = await (await api(`/reports/${name}?from=2020-01-01&to=2020-01-07&steps=/`)).json();
      for (const table of Object.keys(REPORTS[name].tables)) {
        if (tableOf(name, table)(body).length > 0) {
          withRows.push(`${name}.${table}`);
          continue;
        }
        const res = await api(`/reports/${name}?from=2020-01-01&to=2020-01-07&steps=/&format=csv&table=${table}`);
        expect(await csvOf(res), `${name} ${table}`).toBe(BOM + tableOf(name, table).columns.join(',') + '\r\n');
      }
    }
    // rows of zeros: the overview's days and periods, every friction kind, the self-service figures, the funnel's steps, the declared goal
    expect(withRows).toEqual(['overview.series', 'overview.summary', 'usability.friction', 'faq.selfService', 'journeys.funnel', 'goals.goals']);
  });

  it('names the file by the site, the report and the range, in UTF-8 with an ASCII fallback', async () => {
    const res = await api('/reports/overview?from=2026-11-04&to=2026-11-10&format=csv');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${site.id}-overview-2026-11-04-2026-11-10.csv"; filename*=UTF-8''${site.id}-overview-2026-11-04-2026-11-10.csv`,
    );
    // a site stored before ids were checked (lib/site-input.ts) may hold any character: never a 500
    const id = `ショップ-${site.id}`;
    await db.sql.insert(sites).values({ id, origins: [], timezone: 'Asia/Tokyo' });
    const token = await createToken(db.sql, id);
    const other = await app.request(`/api/v1/sites/${encodeURIComponent(id)}/reports/overview?from=2026-11-04&to=2026-11-10&format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(200);
    const disposition = other.headers.get('content-disposition')!;
    expect(disposition).toBe(
      `attachment; filename="____-${site.id}-overview-2026-11-04-2026-11-10.csv"; filename*=UTF-8''${encodeURIComponent(id)}-overview-2026-11-04-2026-11-10.csv`,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`${id}-overview-2026-11-04-2026-11-10.csv`);
  });

  it('answers 400 naming format or table when they are not one the report has', async () => {
    const format = await api('/reports/overview?format=xml');
    expect(format.status).toBe(400);
    expect(await format.json()).toMatchObject({ field: 'format', error: 'invalid format: expected json or csv' });
    const table = await api('/reports/overview?format=csv&table=hotSpots');
    expect(table.status).toBe(400);
    expect(await table.json()).toMatchObject({ field: 'table', error: 'invalid table: expected one of series, summary' });
  });

  it('answers 400, never 500, to impossible dates and parameters', async () => {
    for (const [query, field] of [
      ['from=2026-02-31', 'from'], ['to=0000-01-01', 'to'], ['from=1970-01-01&to=1970-01-05', 'from'], ['from=2026-11-10&to=2026-11-01', 'from'],
      ['from=2026-11-1', 'from'], ['to=2026-11-10T00:00', 'to'],
    ] as const) {
      const res = await api(`/reports/overview?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.json(), query).toMatchObject({ field });
    }
    expect((await api('/reports/visitors?offset=9223372036854775808')).status).toBe(400);
    expect((await api('/visitors/a%00b')).status).toBe(400);
  });

  it('answers 404 for an unknown report', async () => {
    expect((await api('/reports/nothing')).status).toBe(404);
  });
});

describe('visitors', () => {
  it('gives one visitor timeline, then erases the visitor everywhere', async () => {
    const timeline = await (await api('/visitors/alice')).json();
    expect(timeline.sessionList).toHaveLength(1);
    expect(timeline.sessionList[0].events.map((e: { type: string }) => e.type)).toEqual(['pageview', 'custom', 'faq']);

    const erased = await (await api('/visitors/alice', { method: 'DELETE' })).json();
    expect(erased.erased).toMatchObject({ visitors: 1, events: 3, sessions: 1 });
    expect((await api('/visitors/alice')).status).toBe(404);
    await refreshRollups(db, { now: NOW });
    const overview = await (await api('/reports/overview?from=2026-11-10&to=2026-11-10')).json();
    expect(overview).toMatchObject({ visitors: 1, sessions: 1 });
    const left = await query(db, sql`select 1 from events where site_id = ${site.id} and visitor_id = 'alice'`);
    expect(left).toEqual([]);
  });
});

it('refuses malformed goals', async () => {
  const res = await api('/settings/goals', { method: 'PUT', body: '{"goals": [1]}', headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(400);
});

it('reads and sets the retention, refusing what is not a whole number of days from 1 to 3650', async () => {
  expect(await (await api('/settings/retention')).json()).toEqual({ days: 400 });
  const put = (body: string) => api('/settings/retention', { method: 'PUT', body, headers: { 'content-type': 'application/json' } });
  for (const bad of ['{"days": 0}', '{"days": 3651}', '{"days": 1.5}', '{"days": "30"}', 'nope']) {
    const res = await put(bad);
    expect(res.status, bad).toBe(400);
    expect((await res.json()).error).toMatch(/days/);
  }
  expect(await (await put('{"days": 30}')).json()).toEqual({ days: 30 });
  expect(await (await api('/settings/retention')).json()).toEqual({ days: 30 });
  await api('/settings/retention', { method: 'PUT', body: '{"days": 400}', headers: { 'content-type': 'application/json' } });
});
