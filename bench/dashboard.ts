/**
 * Times every dashboard page (issue #16: ≤ 500 ms server time at 1M events on PGlite) on a database
 * filled by bench/generate.ts, in process through `createApp({ db }).request(...)` with a signed-in
 * session: the page's queries, its rendering and Hono, not the network. One warm-up, then `--runs`
 * timed requests per page over the last 28 days (the default view); p50 / p95 / max against the budget.
 *
 *   npx tsx bench/dashboard.ts [--database-url postgres://…|--data-dir DIR] [--site bench.example] [--runs 20] [--budget 500]
 *     [--filter device=mobile]
 *
 * `--filter`: each page is timed a second time with the filters (reports/filters.ts; every report takes them).
 */
import { createApp } from '@kizuna/collector/app.ts';
import { PAGES } from '@kizuna/collector/dashboard/layout.tsx';
import { fmtInt } from '@kizuna/collector/lib/progress.ts';
import { signIn } from '@kizuna/collector/sites/dashboard-sessions.ts';
import { createToken } from '@kizuna/collector/sites/tokens.ts';
import { openBenchDb } from './db.ts';
import { fmtMs, num, parseArgs, str } from './lib.ts';

const args = parseArgs();
const siteId = str(args, 'site') ?? 'bench.example';
const runs = Math.max(1, Math.round(num(args, 'runs', 20)));
const budget = num(args, 'budget', 500);
const filter = str(args, 'filter');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const bench = await openBenchDb(str(args, 'database-url') ?? process.env.DATABASE_URL, str(args, 'data-dir'));
const app = createApp({ db: bench.db });
const cookie = `kizuna_session=${await signIn(bench.db.sql, await createToken(bench.db.sql, siteId))}`;
console.log(`site ${siteId} on ${bench.db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} · ${runs} runs after 1 warm-up · budget p95 ≤ ${budget} ms\n`);
let failed = 0;
const pages: string[] = [...PAGES, 'journeys?steps=/,/pricing,event:Signup'];
const filtered = filter ? pages.map((page) => `${page}${page.includes('?') ? '&' : '?'}${filter}`) : [];
for (const page of [...pages, ...filtered]) {
  const path = `/dashboard/s/${encodeURIComponent(siteId)}/${page}${page.includes('?') ? '&' : '?'}lang=en`;
  const request = async () => {
    const t = performance.now();
    const res = await app.request(path, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${page}: ${res.status} ${body.slice(0, 300)}`);
    return { ms: performance.now() - t, bytes: body.length };
  };
  const warm = await request();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await request()).ms);
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  if (p95 > budget) failed++;
  console.log(`${page.padEnd(40)} ${fmtInt(warm.bytes).padStart(9)} B · p50 ${fmtMs(percentile(times, 50)).padStart(7)} ms · p95 ${fmtMs(p95).padStart(7)} ms · max ${fmtMs(times.at(-1)!).padStart(7)} ms · ${p95 <= budget ? 'PASS' : 'FAIL'}`);
}
await bench.close();
process.exitCode = failed ? 1 : 0;
