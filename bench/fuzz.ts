/**
 * Fuzzing at length (issue #11): ≥ 10,000 generated events bodies and ≥ 10,000 report queries and
 * visitor ids (collector/src/testing/fuzz.ts), through the real app on PGlite or PostgreSQL. Every
 * answer must be 2xx or 4xx; the heap is measured before and after (with a forced GC).
 *
 *   node --expose-gc --import tsx bench/fuzz.ts [--runs 10000] [--database-url postgres://…] [--seed 1]
 */
import fc from 'fast-check';
import { createApp } from '@kizuna/collector/app.ts';
import { openDb } from '@kizuna/collector/db/index.ts';
import { fmtInt } from '@kizuna/collector/lib/progress.ts';
import { addSite } from '@kizuna/collector/sites/index.ts';
import { createToken } from '@kizuna/collector/sites/tokens.ts';
import { eventsBody, reportQuery, visitorPath } from '@kizuna/collector/testing/fuzz.ts';
import { num, parseArgs, str } from './lib.ts';

const args = parseArgs();
const runs = num(args, 'runs', 10_000);
const seed = num(args, 'seed', 1);
const url = str(args, 'database-url');
const SITE = 'fuzz.example';
const ORIGIN = 'https://fuzz.example';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => (gc?.(), process.memoryUsage().heapUsed / 2 ** 20);

const db = await openDb(url ? { url } : {});
await addSite(db.sql, { id: SITE, origins: [ORIGIN] });
const token = await createToken(db.sql, SITE);
const app = createApp({ db, rateLimit: { perSecond: 1e9, burst: 1e9 }, siteRateLimit: { perSecond: 1e9, burst: 1e9 } });

async function fuzz(name: string, arbitrary: fc.Arbitrary<string>, send: (input: string) => Response | Promise<Response>) {
  const statuses = new Map<number, number>();
  const before = heapMb();
  const t = performance.now();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const res = await send(input);
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`${res.status} for ${input.slice(0, 300)}`);
    }),
    { numRuns: runs, seed },
  );
  const after = heapMb();
  const answers = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s} ×${fmtInt(n)}`).join(', ');
  console.log(`${name}: ${fmtInt(runs)} cases in ${((performance.now() - t) / 1000).toFixed(1)} s, no 5xx (${answers}); heap ${before.toFixed(1)} → ${after.toFixed(1)} MB`);
}

console.log(`fuzz on ${url ? 'PostgreSQL' : 'PGlite'}, seed ${seed}${gc ? '' : ' (run node with --expose-gc for exact heap figures)'}`);
await fuzz('events bodies', eventsBody(SITE, Date.now()), (body) =>
  app.request('/api/v1/events', { method: 'POST', body, headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA } }),
);
await fuzz('report queries and visitor ids', fc.oneof(reportQuery, visitorPath), (path) =>
  app.request(`/api/v1/sites/${SITE}${path}`, { headers: { authorization: `Bearer ${token}` } }),
);
await app.writer.close();
await db.close();
