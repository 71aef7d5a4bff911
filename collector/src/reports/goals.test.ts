/**
 * The goals report from a hand-computed fixture (DEFINITIONS: "Goal", conversion rate = converting
 * visitors ÷ visitors), sent through the real ingest endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { setGoals } from '../sites/goals.ts';
import { event } from '../testing/beacon.ts';
import { testDb, testSite } from '../testing/db.ts';
import { tables, goalsReport } from './goals.ts';
import type { ReportRange } from './range.ts';
import { NOW, at, send as sendAs } from '../testing/clock.ts';


let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let range: ReportRange;

const send = (visitor: string, events: ReturnType<typeof event>[]) => sendAs(app, site, visitor, events);
const signup = (ts: number) => event({ ts, type: 'custom', data: { name: 'Signup' } });

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  range = { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-04', to: '2026-11-10' };
  await setGoals(db.sql, site.id, ['Signup', '/thanks', 'Never'], NOW);
  // V1, 9 Nov from t.co (Organic Social, x): signs up twice in one session, then sees /thanks.
  await send('V1', [
    event({ ts: at(9, 1, 0), url: 'https://s.example/', referrer: 'https://t.co/abc' }),
    signup(at(9, 1, 1)),
    signup(at(9, 1, 2)),
    event({ ts: at(9, 1, 3), url: 'https://s.example/thanks' }),
  ]);
  // V2: signs up on 8 Nov from Google, and again on 9 Nov in a direct session.
  await send('V2', [event({ ts: at(8, 1, 0), url: 'https://s.example/', referrer: 'https://www.google.com/' }), signup(at(8, 1, 1))]);
  await send('V2', [event({ ts: at(9, 5, 0), url: 'https://s.example/' }), signup(at(9, 5, 1))]);
  // V3: reaches /thanks (its query dropped) directly.
  await send('V3', [event({ ts: at(9, 2, 0), url: 'https://s.example/thanks?order=123' })]);
  // V4: converts nothing; its custom event is not a goal.
  await send('V4', [event({ ts: at(9, 3, 0), url: 'https://s.example/' }), event({ ts: at(9, 3, 1), type: 'custom', data: { name: 'Clicked' } })]);
  // V5: signs up on 3 Nov 22:00 Tokyo, before the range.
  await send('V5', [event({ ts: at(3, 13, 0), url: 'https://s.example/' }), signup(at(3, 13, 1))]);
  await refreshRollups(db, { siteId: site.id });
});
afterAll(() => db.close());

describe('reports/goals', () => {
  it('counts conversions, converting visitors and the rate over all visitors of the range, per declared goal', async () => {
    const report = await goalsReport(db.driver, range);
    expect(report).toMatchObject({ from: '2026-11-04', to: '2026-11-10', timezone: 'Asia/Tokyo', visitors: 4 });
    expect(report.goals.map((g) => g.goal)).toEqual(['Signup', '/thanks', 'Never']);
    // Signup: 2 + 2 conversions by 2 distinct visitors (V2 twice, in two sources) of 4 visitors (not ÷ 5 sessions)
    expect(report.goals[0]).toMatchObject({ goal: 'Signup', kind: 'event', conversions: 4, convertingVisitors: 2, conversionRate: 0.5 });
    expect(report.goals[1]).toMatchObject({ goal: '/thanks', kind: 'page', conversions: 2, convertingVisitors: 2, conversionRate: 0.5 });
    expect(report.goals[2]).toEqual({ goal: 'Never', kind: 'event', conversions: 0, convertingVisitors: 0, conversionRate: 0, bySource: [] });
  });

  it('splits each goal by the channel and source of the session it converted in, most conversions first', async () => {
    const { goals } = await goalsReport(db.driver, range);
    expect(goals[0]!.bySource).toEqual([
      { channel: 'Organic Social', source: 'x', conversions: 2, convertingVisitors: 1 },
      { channel: 'Direct', source: '', conversions: 1, convertingVisitors: 1 },
      { channel: 'Organic Search', source: 'google', conversions: 1, convertingVisitors: 1 },
    ]);
    expect(goals[1]!.bySource).toEqual([
      { channel: 'Direct', source: '', conversions: 1, convertingVisitors: 1 },
      { channel: 'Organic Social', source: 'x', conversions: 1, convertingVisitors: 1 },
    ]);
  });

  it('keeps to the range: the day before it has its own visitors and conversions', async () => {
    const before = await goalsReport(db.driver, { ...range, from: '2026-11-03', to: '2026-11-03' });
    expect(before.visitors).toBe(1);
    expect(before.goals[0]).toMatchObject({ conversions: 1, convertingVisitors: 1, conversionRate: 1 });
    const oneDay = await goalsReport(db.driver, { ...range, from: '2026-11-08', to: '2026-11-08' });
    expect(oneDay.visitors).toBe(1);
    expect(oneDay.goals[0]).toMatchObject({ conversions: 1, convertingVisitors: 1, conversionRate: 1, bySource: [{ channel: 'Organic Search', source: 'google', conversions: 1, convertingVisitors: 1 }] });
  });

  it('answers zeros with no visitors, and flat CSV rows per goal', async () => {
    const empty = await goalsReport(db.driver, { ...range, from: '2026-10-01', to: '2026-10-02' });
    expect(empty.visitors).toBe(0);
    expect(empty.goals[0]).toMatchObject({ conversions: 0, conversionRate: 0 });
    expect(tables.goals(await goalsReport(db.driver, range))[0]).toEqual({ goal: 'Signup', kind: 'event', conversions: 4, convertingVisitors: 2, conversionRate: 0.5 });
  });
});
