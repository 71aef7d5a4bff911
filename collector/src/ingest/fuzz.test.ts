/**
 * Fuzzing (issue #11): 1,000 generated events bodies and 1,000 report queries, hostile throughout
 * (testing/fuzz.ts) — the collector answers 2xx or 4xx, never 5xx. bench/fuzz.ts runs ≥ 10,000 of
 * each and watches memory.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { NOW } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { eventsBody, reportQuery, visitorPath } from '../testing/fuzz.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW, rateLimit: { perSecond: 1e9, burst: 1e9 }, siteRateLimit: { perSecond: 1e9, burst: 1e9 } });
  site = await testSite(db, { origin: 'https://fuzz.example' });
});
afterAll(() => db.close());

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

it('answers every generated events body with 2xx or 4xx, never 5xx', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(eventsBody(site.id, NOW), async (body) => {
      const res = await app.request('/api/v1/events', {
        method: 'POST', body, headers: { 'content-type': 'text/plain', origin: site.origin, 'user-agent': UA },
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      await res.arrayBuffer();
      expect(res.status, body.slice(0, 300)).toBeLessThan(500);
    }),
    { numRuns: 1000, seed: 20261202 },
  );
  // the generator reaches both sides: stored batches and refused ones
  expect(statuses.get(202)).toBeGreaterThan(50);
  expect(statuses.get(400)).toBeGreaterThan(50);
}, 120_000);

it('answers every generated report query and visitor id with 2xx or 4xx, never 5xx', async () => {
  const auth = { authorization: `Bearer ${site.token}` };
  await fc.assert(
    fc.asyncProperty(fc.oneof(reportQuery, visitorPath), async (path) => {
      const res = await app.request(`/api/v1/sites/${site.id}${path}`, { headers: auth });
      await res.arrayBuffer();
      expect(res.status, path).toBeLessThan(500);
    }),
    { numRuns: 1000, seed: 20261202 },
  );
}, 120_000);
