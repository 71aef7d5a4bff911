/**
 * The journeys report from a hand-computed fixture (DEFINITIONS: "Journey", funnel: sessions that
 * reach each step in order), sent through the real ingest endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { setGoals } from '../sites/goals.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite } from '../testing/db.ts';
import { parseQuery, REPORT_PARAMS } from '../api/params.ts';
import { FUNNEL_NOTE, journeysReport, tables } from './journeys.ts';
import type { ReportRange } from './range.ts';
import { NOW, at } from '../testing/clock.ts';


let db: Db;
/** `steps=` as the API parses it (api/params.ts): page paths folded, `event:Name` as given. */
const steps = (param: string | undefined) => parseQuery(REPORT_PARAMS.journeys, { steps: param }) as { steps?: string[] };
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let range: ReportRange;

/** One session of a visitor: page paths and `event:Name` steps, a minute apart from `start`. */
async function session(visitor: string, start: number, steps: string[]) {
  const events = steps.map((step, i) =>
    step.startsWith('event:')
      ? event({ ts: start + i * 60_000, type: 'custom', data: { name: step.slice(6) } })
      : event({ ts: start + i * 60_000, url: `https://s.example${step}` }),
  );
  const res = await app.request('/api/v1/events', beaconInit(batch(site.id, events, { visitor, sentAt: NOW }), site.origin));
  expect(res.status).toBe(202);
}

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  range = { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-04', to: '2026-11-10' };
  await setGoals(db.sql, site.id, ['Signup'], NOW);
  await session('J1', at(9, 1), ['/', '/pricing', 'event:Signup', '/thanks']); // S1
  await session('J2', at(9, 1), ['/', '/pricing', 'event:Clicked', '/thanks']); // S2: Clicked is not a goal
  await session('J3', at(9, 1), ['/pricing', '/', '/pricing', 'event:Signup']); // S3
  await session('J4', at(9, 1), ['/', '/blog/123', 'event:Signup', '/blog/456']); // S4
  await session('J5', at(9, 1), ['/']); // S5
  await session('J1', at(9, 3), ['/pricing', '/pricing', 'event:Signup']); // S6: a reload, then a sign-up
  await session('J6', at(3, 13), ['/', '/pricing', 'event:Signup']); // 3 Nov 22:00 Tokyo: before the range
  await refreshRollups(db, { siteId: site.id });
});
afterAll(() => db.close());

describe('reports/journeys', () => {
  it('lists the top page paths from landing to exit, goal events left out, with session counts', async () => {
    const report = await journeysReport(db.driver, range);
    expect(report).toMatchObject({ from: '2026-11-04', to: '2026-11-10', sessions: 6, funnel: null });
    expect(report.topPaths).toEqual([
      { pages: ['/', '/pricing', '/thanks'], sessions: 2 }, // S1 and S2: the goal event is not a page step
      { pages: ['/'], sessions: 1 },
      { pages: ['/', '/blog/:id'], sessions: 1 }, // S4: ids folded, the page repeated once the event between is gone
      { pages: ['/pricing'], sessions: 1 }, // S6: the reload collapsed
      { pages: ['/pricing', '/', '/pricing'], sessions: 1 },
    ]);
    expect(tables.topPaths(report)[0]).toEqual({ pages: '/ > /pricing > /thanks', sessions: 2 });
  });

  it('counts the sessions reaching each funnel step after every step before it, in order', async () => {
    const { funnel } = await journeysReport(db.driver, range, steps('/,/pricing,event:Signup'));
    // '/': S1 S2 S3 S4 S5; then /pricing: S1 S2 S3 (S3's /pricing after its '/'); then Signup: S1 S3.
    // S6 has /pricing and Signup but never '/': it is not in the funnel.
    expect(funnel).toEqual({
      note: FUNNEL_NOTE,
      steps: [
        { step: '/', kind: 'page', sessions: 5, fromPrevious: 1, fromFirst: 1 },
        { step: '/pricing', kind: 'page', sessions: 3, fromPrevious: 0.6, fromFirst: 0.6 },
        { step: 'event:Signup', kind: 'event', sessions: 2, fromPrevious: 0.667, fromFirst: 0.4 },
      ],
    });
  });

  it('depends on the order of the steps and lets other steps come between them', async () => {
    const reached = async (param: string) => (await journeysReport(db.driver, range, steps(param))).funnel!.steps.map((s) => s.sessions);
    expect(await reached('/pricing,/')).toEqual([4, 1]); // only S3 sees '/' after /pricing
    expect(await reached('/,/thanks')).toEqual([5, 2]); // S1 and S2, through /pricing (and a goal)
    expect(await reached('/pricing,/pricing')).toEqual([4, 1]); // S3 comes back; S6's reload is one step
    expect(await reached('/blog/789?x=1')).toEqual([1]); // folded as events.path is: /blog/:id
    expect(await reached('event:Clicked')).toEqual([0]); // not a goal, so not in the journeys (see the note)
  });

  it('reads the funnel steps: at most 10, each a page path or event:Name', () => {
    expect(steps(undefined)).toEqual({ steps: undefined });
    expect(steps(' /a , event:Signup ')).toEqual({ steps: ['/a', 'event:Signup'] });
    expect(steps('/orders/42/')).toEqual({ steps: ['/orders/:id/'] });
    expect(steps(Array(10).fill('/a').join(',')).steps).toHaveLength(10);
    for (const bad of [Array(11).fill('/a').join(','), 'pricing', '/a,,/b', 'event:', 'nope']) {
      expect(() => steps(bad), bad).toThrow(expect.objectContaining({ name: 'InvalidInput', field: 'steps' }));
    }
  });

  it('zero-divides to 0 when no session reaches the first step', async () => {
    const { funnel } = await journeysReport(db.driver, range, steps('/nowhere,/'));
    expect(funnel!.steps).toEqual([
      { step: '/nowhere', kind: 'page', sessions: 0, fromPrevious: 0, fromFirst: 0 },
      { step: '/', kind: 'page', sessions: 0, fromPrevious: 0, fromFirst: 0 },
    ]);
  });
});
