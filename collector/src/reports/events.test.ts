/**
 * The events report from a hand-computed fixture sent through the real ingest endpoint: every
 * custom event name without any goal declared, its count and distinct visitors over the range,
 * each prop's values (top {@link TOP_VALUES}, the others summed), the range's edges, erasure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erase } from '../aggregate/erase.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { BOM } from '../lib/csv.ts';
import { event } from '../testing/beacon.ts';
import { NOW, at, send as sendAs } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { eventsReport, tables, TOP_VALUES } from './events.ts';
import type { ReportRange } from './range.ts';
import { tableCsv } from './table.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let range: ReportRange;

const send = (visitor: string, events: ReturnType<typeof event>[]) => sendAs(app, site, visitor, events);
const track = (ts: number, name: string, props?: Record<string, unknown>) => event({ ts, type: 'custom', data: props ? { name, props } : { name } });

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  range = { siteId: site.id, timezone: 'Asia/Tokyo', from: '2026-11-04', to: '2026-11-10' };
  // A: 9 Nov, Signup twice (plan pro, then free) and a Play with a number and a boolean prop.
  await send('A', [
    event({ ts: at(9, 1, 0) }),
    track(at(9, 1, 1), 'Signup', { plan: 'pro', source: 'header' }),
    track(at(9, 1, 2), 'Signup', { plan: 'free' }),
    track(at(9, 1, 3), '動画再生', { seconds: 42, autoplay: true }),
  ]);
  // A again on 10 Nov: one more Signup (pro); B on 8 Nov: a Signup (pro) without source.
  await send('A', [event({ ts: at(10, 2, 0) }), track(at(10, 2, 1), 'Signup', { plan: 'pro' })]);
  await send('B', [event({ ts: at(8, 3, 0) }), track(at(8, 3, 1), 'Signup', { plan: 'pro' })]);
  // C: 12 coupon codes, one event each (+ one more of c0): only the top TOP_VALUES are listed.
  await send('C', [
    event({ ts: at(9, 4, 0) }),
    ...Array.from({ length: 12 }, (_, i) => track(at(9, 4, 1) + i, 'Coupon', { code: `c${i}` })),
    track(at(9, 4, 20), 'Coupon', { code: 'c0' }),
  ]);
  // D: a Signup on 3 Nov 22:00 Tokyo, before the range.
  await send('D', [event({ ts: at(3, 13, 0) }), track(at(3, 13, 1), 'Signup', { plan: 'pro' })]);
  await refreshRollups(db, { siteId: site.id });
});
afterAll(() => db.close());

describe('reports/events', () => {
  it('lists every custom event name, no goal declared, with its count and distinct visitors over the range', async () => {
    const report = await eventsReport(db.driver, range);
    expect(report).toMatchObject({ from: '2026-11-04', to: '2026-11-10', timezone: 'Asia/Tokyo', names: 3 });
    expect(report.eventList.map(({ name, count, visitors }) => [name, count, visitors])).toEqual([
      ['Coupon', 13, 1],
      ['Signup', 4, 2], // A 3 over two days, B 1; D's was before the range
      ['動画再生', 1, 1],
    ]);
  });

  it('breaks each event down by each prop: values with count and visitors, most first', async () => {
    const signup = (await eventsReport(db.driver, range)).eventList.find((e) => e.name === 'Signup')!;
    expect(signup.props).toEqual([
      {
        prop: 'plan', count: 4, visitors: 2,
        values: [{ value: 'pro', count: 3, visitors: 2 }, { value: 'free', count: 1, visitors: 1 }],
        otherValues: 0, otherCount: 0, otherVisitors: 0,
      },
      { prop: 'source', count: 1, visitors: 1, values: [{ value: 'header', count: 1, visitors: 1 }], otherValues: 0, otherCount: 0, otherVisitors: 0 },
    ]);
    const play = (await eventsReport(db.driver, range)).eventList.find((e) => e.name === '動画再生')!;
    // numbers and booleans as JSON writes them
    expect(play.props.map((p) => [p.prop, p.values.map((v) => v.value)])).toEqual([['autoplay', ['true']], ['seconds', ['42']]]);
  });

  it(`lists the ${TOP_VALUES} most counted values of a prop and sums the others`, async () => {
    const coupon = (await eventsReport(db.driver, range)).eventList.find((e) => e.name === 'Coupon')!;
    const [code] = coupon.props;
    expect(code!.values).toHaveLength(TOP_VALUES);
    // c0 twice first, then the others by value: c1, c10, c11, c2 … c8 listed, c9 summed … (code-point order)
    expect(code!.values.map((v) => v.value)).toEqual(['c0', 'c1', 'c10', 'c11', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    expect(code).toMatchObject({ prop: 'code', count: 13, visitors: 1, otherValues: 2, otherCount: 2, otherVisitors: 1 });
  });

  it('covers only the range, by the site time zone', async () => {
    const before = await eventsReport(db.driver, { ...range, from: '2026-11-03', to: '2026-11-03' });
    expect(before.eventList).toEqual([
      { name: 'Signup', count: 1, visitors: 1, props: [expect.objectContaining({ prop: 'plan', values: [{ value: 'pro', count: 1, visitors: 1 }] })] },
    ]);
    const empty = await eventsReport(db.driver, { ...range, from: '2026-10-01', to: '2026-10-07' });
    expect(empty).toMatchObject({ eventList: [], names: 0 });
  });

  it('makes a CSV of the names and one of the values, the others summed in a row of their own', async () => {
    const report = await eventsReport(db.driver, range);
    expect(tableCsv(tables.events, report)).toBe(`${BOM}name,count,visitors\r\nCoupon,13,1\r\nSignup,4,2\r\n動画再生,1,1\r\n`);
    const props = tableCsv(tables.props, report).slice(BOM.length).split('\r\n');
    expect(props[0]).toBe('name,prop,value,other,count,visitors');
    expect(props).toContain('Coupon,code,,true,2,1');
    expect(props).toContain('Signup,plan,pro,false,3,2');
  });

  it('filters by the session: from the custom events of the range, to the rollups\' figures when every session is kept', async () => {
    const other = await testSite(db, { timezone: 'Asia/Tokyo' });
    await sendAs(app, other, 'G', [
      event({ ts: at(9, 7, 0), url: 'https://s.example/promo?utm_source=x' }),
      track(at(9, 7, 1), 'Signup', { plan: 'pro' }),
      track(at(9, 7, 2), 'Signup', { plan: 'pro' }),
    ]);
    await sendAs(app, other, 'H', [event({ ts: at(9, 8, 0), url: 'https://s.example/' }), track(at(9, 8, 1), 'Signup', { plan: 'free' }), track(at(9, 8, 2), 'Other')]);
    await refreshRollups(db, { siteId: other.id });
    const otherRange = { ...range, siteId: other.id };
    const promo = await eventsReport(db.driver, otherRange, { page: '/promo' });
    expect(promo).toMatchObject({ names: 1 });
    expect(promo.eventList).toEqual([
      { name: 'Signup', count: 2, visitors: 1, props: [{ prop: 'plan', count: 2, visitors: 1, values: [{ value: 'pro', count: 2, visitors: 1 }], otherValues: 0, otherCount: 0, otherVisitors: 0 }] },
    ]);
    expect(await eventsReport(db.driver, otherRange, { device: 'desktop', channel: 'Direct' })).toMatchObject({
      eventList: [{ name: 'Other', count: 1, visitors: 1 }, { name: 'Signup', count: 1, visitors: 1 }], // H only: G came from x
    });
    expect(await eventsReport(db.driver, otherRange, { device: 'desktop' })).toEqual(await eventsReport(db.driver, otherRange));
    expect(await eventsReport(db.driver, otherRange, { device: 'mobile' })).toMatchObject({ eventList: [], names: 0 });
  });

  it('forgets an erased visitor at once: the rows are per visitor', async () => {
    const other = await testSite(db, { timezone: 'Asia/Tokyo' });
    await sendAs(app, other, 'E', [event({ ts: at(9, 6, 0) }), track(at(9, 6, 1), 'Signup', { email: 'e@example.com' })]);
    await refreshRollups(db, { siteId: other.id });
    const otherRange = { ...range, siteId: other.id };
    expect((await eventsReport(db.driver, otherRange)).eventList).toHaveLength(1);
    await erase(db, other.id, { visitorId: 'E' }, NOW);
    expect(await eventsReport(db.driver, otherRange)).toMatchObject({ eventList: [], names: 0 });
  });
});
