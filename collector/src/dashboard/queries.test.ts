/**
 * The insights' own figures (./queries.ts): per page and per in-app network, over the sessions the
 * filters keep, the same with one filter (segment rollups) as with two (the kept sessions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { batch, beaconInit, CHROME_UA, event } from '../testing/beacon.ts';
import { NOW, at } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { inAppNetworks, pageSignals } from './queries.ts';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const INSTAGRAM_UA = `${IPHONE_UA.replace(' Version/17.5', '')} Instagram 309.0.0.0 (iPhone14,2; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 537288532)`;

let db: Db;
let site: Awaited<ReturnType<typeof testSite>>;
const range = { siteId: '', from: '2026-11-04', to: '2026-11-10', timezone: 'Asia/Tokyo' };

/** A visitor's one session: a landing on `path` (from Instagram in-app when `inApp`), page views, rage bursts and an LCP. */
async function visit(app: ReturnType<typeof createApp>, visitor: string, ua: string, path: string, n: { views: number; bursts: number; lcp: number }) {
  let t = at(9, 3);
  const url = `https://q.example${path}`;
  const events = [
    event({ ts: (t += 1000), url, referrer: ua === INSTAGRAM_UA ? 'https://l.instagram.com/' : null }),
    ...Array.from({ length: n.views - 1 }, () => event({ ts: (t += 1000), url })),
    ...Array.from({ length: n.bursts }, () => event({ ts: (t += 1000), type: 'friction', url, data: { kind: 'rage_click', selector: 'button', count: 3 } })),
    event({ ts: (t += 1000), type: 'vital', url, data: { name: 'LCP', value: n.lcp, rating: n.lcp > 4000 ? 'poor' : 'good' } }),
  ];
  const res = await app.request('/api/v1/events', beaconInit(batch(site.id, events, { visitor, sentAt: NOW }), site.origin, ua));
  expect(res.status).toBe(202);
}

beforeAll(async () => {
  db = await testDb();
  const app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo', origin: 'https://q.example' });
  range.siteId = site.id;
  await visit(app, 'phone', IPHONE_UA, '/a', { views: 3, bursts: 2, lcp: 5000 });
  await visit(app, 'insta', INSTAGRAM_UA, '/a', { views: 1, bursts: 0, lcp: 1200 });
  await visit(app, 'desk', CHROME_UA, '/b', { views: 4, bursts: 1, lcp: 1500 });
  await refreshRollups(db, { now: NOW });
});
afterAll(() => db.close());

const byPath = (rows: { path: string }[]) => [...rows].sort((x, y) => x.path.localeCompare(y.path));

describe('the insights’ figures', () => {
  it('per page: the whole site without a filter, the kept sessions with one, the same with two', async () => {
    expect(byPath(await pageSignals(db.driver, range, {}))).toEqual([
      { path: '/a', pageviews: 4, rageBursts: 2, lcpSamples: 2, lcpPoor: 1 },
      { path: '/b', pageviews: 4, rageBursts: 1, lcpSamples: 1, lcpPoor: 0 },
    ]);
    const mobile = await pageSignals(db.driver, range, { device: 'mobile' });
    expect(mobile).toEqual([{ path: '/a', pageviews: 4, rageBursts: 2, lcpSamples: 2, lcpPoor: 1 }]);
    expect(await pageSignals(db.driver, range, { device: 'mobile', page: '/a' })).toEqual(mobile);
    expect(await pageSignals(db.driver, range, { network: 'instagram' })).toEqual([{ path: '/a', pageviews: 1, rageBursts: 0, lcpSamples: 1, lcpPoor: 0 }]);
  });

  it('per in-app network: its sessions among those the filters keep', async () => {
    const instagram = [{ network: 'instagram', inAppSessions: 1, inAppEngaged: 0 }];
    expect(await inAppNetworks(db.driver, range, {})).toEqual(instagram);
    expect(await inAppNetworks(db.driver, range, { device: 'mobile' })).toEqual(instagram);
    expect(await inAppNetworks(db.driver, range, { device: 'mobile', page: '/a' })).toEqual(instagram);
    expect(await inAppNetworks(db.driver, range, { device: 'desktop' })).toEqual([]);
  });
});
