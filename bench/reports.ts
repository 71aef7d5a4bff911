/**
 * Times every report of the report API on a database filled by bench/generate.ts: for the 30 days
 * up to today (site time zone), in process through `createApp({ db }).request(...)` — the figure is
 * the queries plus Hono and JSON, not the network. One warm-up, then `--runs` timed requests per
 * report; p50 / p95 / max, PASS or FAIL against the 300 ms p95 budget; then the database size.
 *
 *   npx tsx bench/reports.ts [--database-url postgres://…|--data-dir DIR] [--site bench.example] [--runs 30]
 *     [--budget 300] [--from YYYY-MM-DD --to YYYY-MM-DD] [--only overview,faq]
 *     [--live [YYYY-MM-DD]]  (mark that day, by default the range's last, dirty before each request, as live
 *                ingest does: the report route then recomputes that day's rollups first)
 */
import { count, eq } from 'drizzle-orm';
import { createApp } from '@kizuna/collector/app.ts';
import { markDirty } from '@kizuna/collector/db/rollup-queue.ts';
import { eventIds, events, sessions, visitors } from '@kizuna/collector/db/schema.ts';
import { addDays } from '@kizuna/collector/lib/dates.ts';
import { fmtInt } from '@kizuna/collector/lib/progress.ts';
import { REPORT_NAMES } from '@kizuna/collector/reports/index.ts';
import { getSite } from '@kizuna/collector/sites/index.ts';
import { createToken } from '@kizuna/collector/sites/tokens.ts';
import { databaseSize, dirSize, openBenchDb, tableSizes } from './db.ts';
import { fmtBytes, fmtMs, num, parseArgs, str } from './lib.ts';

/** extra variants: a label and the query added to the range */
const VARIANTS: Record<string, [string, string][]> = {
  // filtered: from the session-level tables, not the rollups (reports/filters.ts); usability and FAQ with one
  // filter from the segment rollups, with two from the session-level tables
  journeys: [['journeys (funnel)', 'steps=/,/pricing,event:Signup'], ['journeys (funnel, device=mobile)', 'steps=/,/pricing,event:Signup&device=mobile']],
  overview: [['overview (device=mobile)', 'device=mobile'], ['overview (page=/pricing)', 'page=/pricing']],
  acquisition: [['acquisition (device=mobile)', 'device=mobile'], ['acquisition (network=x)', 'network=x']],
  goals: [['goals (device=mobile)', 'device=mobile']],
  events: [['events (device=mobile)', 'device=mobile']],
  nps: [['nps (device=mobile)', 'device=mobile']],
  usability: [
    ['usability (device=mobile)', 'device=mobile'],
    ['usability (network=x)', 'network=x'],
    ['usability (device=mobile&network=x)', 'device=mobile&network=x'],
  ],
  faq: [
    ['faq (device=mobile)', 'device=mobile'],
    ['faq (page=/faq)', 'page=/faq'],
    ['faq (device=mobile&network=x)', 'device=mobile&network=x'],
  ],
  visitors: [['visitors (device=mobile)', 'device=mobile'], ['visitors (network=x)', 'network=x']],
};

const args = parseArgs();
const siteId = str(args, 'site') ?? 'bench.example';
const runs = Math.max(1, Math.min(10_000, Math.round(num(args, 'runs', 30))));
const budget = num(args, 'budget', 300);
const url = str(args, 'database-url') ?? process.env.DATABASE_URL;
const dataDir = str(args, 'data-dir');
const only = str(args, 'only')?.split(',');
const live = args.has('live');
const liveDay = str(args, 'live');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

async function main() {
  const bench = await openBenchDb(url, dataDir);
  const { db } = bench;
  const site = await getSite(db.sql, siteId);
  if (!site) throw new Error(`unknown site ${siteId}: run bench/generate.ts first`);
  const token = await createToken(db.sql, siteId);
  const app = createApp({ db });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: site.timezone }).format(Date.now());
  const to = str(args, 'to') ?? today;
  const from = str(args, 'from') ?? addDays(to, -29);
  const headers = { authorization: `Bearer ${token}` };
  const markToday = (id: string, day: string) => markDirty(db.sql, id, [day]);

  console.log(
    `site ${siteId} on ${db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} · range ${from} → ${to} (${site.timezone}) · ${runs} runs after 1 warm-up · budget p95 ≤ ${budget} ms` +
      (live ? ` · --live: ${liveDay ?? to} marked dirty before each request` : '') + '\n',
  );
  const rows: string[][] = [];
  const header = ['report', 'status', 'bytes', 'p50 ms', 'p95 ms', 'max ms', 'verdict'];
  const cases = REPORT_NAMES.filter((r) => !only || only.includes(r)).flatMap((r) => [[r, r, ''] as const, ...(VARIANTS[r] ?? []).map(([label, q]) => [label, r, q] as const)]);
  let failed = 0;
  for (const [label, name, extra] of cases) {
    const path = `/api/v1/sites/${encodeURIComponent(siteId)}/reports/${name}?from=${from}&to=${to}${extra ? '&' + extra : ''}`;
    const request = async () => {
      // --live: as if ingest had stored an event today since the last request (the report recomputes that day first)
      if (live) await markToday(site.id, liveDay ?? to);
      const t = performance.now();
      const res = await app.request(path, { headers });
      const body = await res.text();
      return { ms: performance.now() - t, status: res.status, body };
    };
    const warm = await request();
    if (warm.status === 404) {
      rows.push([label, '404', '', '', '', '', 'not yet available']);
      console.error(`${label}: 404 — not yet available`);
      continue;
    }
    if (warm.status !== 200) {
      rows.push([label, String(warm.status), '', '', '', '', `error: ${warm.body.slice(0, 80)}`]);
      console.error(`${label}: ${warm.status} ${warm.body.slice(0, 300)}`);
      failed++;
      continue;
    }
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await request();
      if (r.status !== 200) throw new Error(`${label}: ${r.status} on run ${i + 1}: ${r.body.slice(0, 200)}`);
      times.push(r.ms);
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    const pass = p95 <= budget;
    if (!pass) failed++;
    rows.push([label, '200', fmtInt(warm.body.length), fmtMs(percentile(times, 50)), fmtMs(p95), fmtMs(times.at(-1)!), pass ? 'PASS' : 'FAIL']);
    console.error(`${label}: p50 ${fmtMs(percentile(times, 50))} ms, p95 ${fmtMs(p95)} ms (warm-up ${fmtMs(warm.ms)} ms)`);
  }
  console.log(table(header, rows, [false, true, true, true, true, true, false]));

  // Sizes and counts
  const countOf = async (table: typeof events | typeof sessions | typeof visitors) =>
    (await db.sql.select({ n: count() }).from(table).where(eq(table.siteId, siteId)))[0]!.n;
  const [eventCount, sessionCount, visitorCount, [ids]] = await Promise.all([
    countOf(events), countOf(sessions), countOf(visitors), db.sql.select({ n: count() }).from(eventIds),
  ]);
  const dbBytes = await databaseSize(db);
  const perMillion = (b: number) => (eventCount ? fmtBytes(b / (eventCount / 1e6)) : '-');
  console.log(`\nevents ${fmtInt(eventCount)} · sessions ${fmtInt(sessionCount)} · visitors ${fmtInt(visitorCount)} · event ids ${fmtInt(ids!.n)}`);
  console.log(`database size (pg_database_size): ${fmtBytes(dbBytes)} · ${perMillion(dbBytes)} per million events`);
  if (bench.dataDir) {
    const dir = await dirSize(bench.dataDir);
    console.log(`PGlite data dir on disk: ${fmtBytes(dir)} · ${perMillion(dir)} per million events`);
  }
  const sizes = await tableSizes(db);
  const sizeRows = sizes.filter((s) => s.bytes > 64 * 1024).map((s) => [s.table, fmtBytes(s.bytes), perMillion(s.bytes), s.rows === null ? '' : fmtInt(s.rows)]);
  console.log('\n' + table(['table (with indexes)', 'size', 'per million events', 'rows (estimate)'], sizeRows, [false, true, true, true]));
  if (failed) console.log(`\n${failed} report(s) over the ${budget} ms p95 budget or failing`);
  await bench.close();
  process.exitCode = failed ? 1 : 0;
}

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w, i) => (right[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|', ...rows.map(line)].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
