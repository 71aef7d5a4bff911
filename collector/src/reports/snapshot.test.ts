/**
 * Every report's answer, byte for byte, on one fixed fixture: a seeded week of realistic traffic
 * (the demo's traffic model) sent through the real ingest endpoint at a fixed clock, rolled up,
 * then each report asked for in JSON and CSV with a spread of parameters. The answers are compared
 * with a committed file: a change of any figure, key, order or format fails here and must be
 * accepted on purpose (`vitest -u`), with the reason in the commit.
 *
 * Ids that differ between runs (the test site's id, session ids) are replaced by stable names.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { NOW } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { generateSession, GOALS, makeVisitor } from '../demo/model.ts';
import { Rng } from '../demo/random.ts';
import type { WireEvent } from '@kizuna/protocol';

const DAY = 86_400_000;
const VISITORS = 120;

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW, rateLimit: { perSecond: 1e6, burst: 1e6 } });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  const put = await api('/settings/goals', { method: 'PUT', body: JSON.stringify({ goals: GOALS }), headers: { 'content-type': 'application/json' } });
  expect(put.status).toBe(200);

  const rng = new Rng(20261110);
  for (let v = 0; v < VISITORS; v++) {
    const visitor = makeVisitor(rng, `v${String(v).padStart(3, '0')}`, rng.chance(0.15) ? `cust-${v % 90}` : undefined);
    const visits = 1 + (rng.chance(0.35) ? rng.range(1, 4) : 0);
    for (let ordinal = 0; ordinal < visits; ordinal++) {
      const events: WireEvent[] = [];
      const start = NOW - 6 * DAY + Math.round(((ordinal + rng.next()) / visits) * (6 * DAY - 3_600_000));
      const { ua } = generateSession(rng, { origin: site.origin, visitor, start, ordinal }, (type, ts, page, referrer, data) =>
        events.push({ id: randomUUID(), type, ts: Math.round(ts), url: page.url, referrer, title: page.title, data } as WireEvent),
      );
      for (let i = 0; i < events.length; i += 20) {
        const body = JSON.stringify({ site: site.id, visitor: visitor.id, session: 's', sentAt: NOW, events: events.slice(i, i + 20) });
        const res = await app.request('/api/v1/events', {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain', origin: site.origin, 'user-agent': ua },
        });
        expect(res.status).toBe(202);
      }
    }
  }
  await refreshRollups(db, { now: NOW });
}, 300_000);
afterAll(() => db.close());

const api = (path: string, init: RequestInit = {}) =>
  app.request(`/api/v1/sites/${site.id}${path}`, { ...init, headers: { authorization: `Bearer ${site.token}`, ...init.headers } });

const REQUESTS = [
  ...['overview', 'acquisition', 'usability', 'faq', 'visitors', 'journeys', 'goals', 'events'].flatMap((report) => [
    `/reports/${report}`,
    `/reports/${report}?from=2026-11-04&to=2026-11-10`,
    `/reports/${report}?from=2026-11-09&to=2026-11-09`,
    `/reports/${report}?from=2026-11-01&to=2026-11-10`,
    `/reports/${report}?from=2026-11-04&to=2026-11-10&format=csv`,
  ]),
  '/reports/journeys?from=2026-11-04&to=2026-11-10&steps=/,/pricing,event:Signup',
  '/reports/journeys?from=2026-11-04&to=2026-11-10&steps=/faq,/contact',
  '/reports/journeys?from=2026-11-04&to=2026-11-10&steps=/product/1234,/cart,/checkout,/thank-you&format=csv',
  '/reports/overview?from=2026-11-04&to=2026-11-10&format=csv&table=summary',
  '/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=networks',
  '/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=landingPages',
  '/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=searchEngines',
  '/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=searchTerms',
  '/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=sourceMedium',
  '/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=campaigns',
  '/reports/acquisition?from=2026-11-04&to=2026-11-10&format=csv&table=channelLandingPages',
  '/reports/usability?from=2026-11-04&to=2026-11-10&format=csv&table=friction',
  '/reports/usability?from=2026-11-04&to=2026-11-10&format=csv&table=slowestPages',
  '/reports/faq?from=2026-11-04&to=2026-11-10&format=csv&table=searches',
  '/reports/faq?from=2026-11-04&to=2026-11-10&format=csv&table=selfService',
  '/reports/goals?from=2026-11-04&to=2026-11-10&format=csv&table=bySource',
  '/reports/journeys?from=2026-11-04&to=2026-11-10&steps=/,/pricing,event:Signup&format=csv&table=funnel',
  '/reports/visitors?sort=lastSeen&order=asc&limit=7&offset=3',
  '/reports/visitors?from=2026-11-01&to=2026-11-09&sort=sessions&limit=10',
  '/reports/visitors?sort=engagedTimeMs&limit=5',
  '/reports/visitors?to=2026-11-08&sort=pageviews&order=asc&limit=5',
  '/visitors/v000',
  '/visitors/v007',
  '/visitors/v042',
  '/visitors/v119',
];

it('answers every report exactly as before', async () => {
  const sessionIds = new Map<string, string>();
  const stable = (text: string) =>
    text
      .replaceAll(site.id, 'SITE')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
        if (!sessionIds.has(id)) sessionIds.set(id, `uuid-${sessionIds.size}`);
        return sessionIds.get(id)!;
      });
  const answers: string[] = [];
  for (const path of REQUESTS) {
    const res = await api(path);
    answers.push(`## ${path}\n${res.status} ${res.headers.get('content-type')}\n${stable(await res.text())}\n`);
  }
  await expect(answers.join('\n')).toMatchFileSnapshot('__snapshots__/reports.txt');
}, 120_000);
