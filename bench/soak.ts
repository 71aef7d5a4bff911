/**
 * Soak: the collector under a steady, realistic load for a long while — does its memory stay flat?
 * Fresh 5-event batches (the SDK's usual size) at a fixed rate to `kizuna serve` on a private
 * PostgreSQL (default: one worker per core, as production runs) or on PGlite; the rollup job runs
 * as in production. Every 30 s it prints the rate reached and the resident memory (RSS) of the
 * collector's processes (a cluster's primary and workers summed, and the largest one), then the
 * write path's verdict (nothing acknowledged lost or stored twice).
 *
 *   npx tsx bench/soak.ts [--minutes 10] [--rate 200] [--target postgres|pglite] [--limit-mb 300] [--node-options '…']
 *
 * `--rate` is in requests per second (×5 events). Exits 1 when a process's RSS passes the limit, the
 * total grows by more than a quarter from the first sample after warm-up to the last, or an event
 * was lost.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDb, type OpenOptions } from '@kizuna/collector/db/index.ts';
import { fmtInt } from '@kizuna/collector/lib/progress.ts';
import { num, parseArgs, str } from './lib.ts';
import { registerSite, sleep, startLoad, storedIds, verdict } from './faults/lib.ts';
import { startPrivatePostgres } from './faults/postgres.ts';
import { startCollector } from './process.ts';

const args = parseArgs();
const minutes = num(args, 'minutes', 10);
const rate = num(args, 'rate', 200);
const target = str(args, 'target') ?? 'postgres';
const limitMb = num(args, 'limit-mb', 300);
const SAMPLE_MS = 30_000;
// enough connections that the rate holds while answers slow down (each waits its share of the second)
const CONNECTIONS = 50;
/** node flags for the collector's processes, e.g. `--max-old-space-size=128` */
const nodeOptions = str(args, 'node-options');

/** RSS in bytes of a process and of every process under it (a cluster's workers), from /proc. */
function treeRss(root: number): { total: number; largest: number } {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // the command name in parentheses may hold spaces: the fields after its closing parenthesis
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* ended meanwhile */
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) if (tree.has(parent) && !tree.has(pid)) tree.add(pid), (grew = true);
  }
  let total = 0;
  let largest = 0;
  for (const pid of tree) {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      total += kb * 1024;
      largest = Math.max(largest, kb * 1024);
    } catch {
      /* ended meanwhile */
    }
  }
  return { total, largest };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

const pg = target === 'postgres' ? await startPrivatePostgres() : undefined;
const dir = pg ? undefined : await mkdtemp(path.join(os.tmpdir(), 'kizuna-soak-'));
const open: OpenOptions = pg ? { url: pg.url, max: 1 } : { dataDir: dir };
let ok = false;
try {
  const db = await openDb(open);
  await registerSite(db);
  await db.close();
  const server = await startCollector({
    env: { ...(pg ? { DATABASE_URL: pg.url } : { DATABASE_URL: '', KIZUNA_DATA_DIR: dir }), ...(nodeOptions && { NODE_OPTIONS: nodeOptions }) },
  });
  // a steady rate: each connection sends a batch, then waits out its share of the second
  const load = startLoad({ url: () => server.url, connections: CONNECTIONS, eventsPerBatch: 5, pace: rate / CONNECTIONS });
  console.log(`soak on ${target}: ${rate} requests/s of 5 events for ${minutes} min, RSS every ${SAMPLE_MS / 1000} s (limit ${limitMb} MB)`);
  console.log('  time   req/s   events stored so far   RSS total MB   largest process MB');
  const samples: number[] = [];
  let largest = 0;
  const started = Date.now();
  let lastAcked = 0;
  for (let t = SAMPLE_MS; t <= minutes * 60_000; t += SAMPLE_MS) {
    await sleep(started + t - Date.now());
    const rss = treeRss(server.pid);
    samples.push(rss.total);
    largest = Math.max(largest, rss.largest);
    const acked = load.acked.size;
    const perSecond = (acked - lastAcked) / 5 / (SAMPLE_MS / 1000);
    lastAcked = acked;
    const clock = `${String(Math.floor(t / 60_000)).padStart(2)}:${String((t / 1000) % 60).padStart(2, '0')}`;
    console.log(`  ${clock}  ${perSecond.toFixed(0).padStart(6)}  ${fmtInt(acked).padStart(21)}  ${mb(rss.total).padStart(13)}  ${mb(rss.largest).padStart(19)}`);
  }
  await load.stop();
  await server.stop();
  const check = await openDb(open);
  const safe = verdict(`soak ${minutes} min on ${target}`, load, await storedIds(check));
  await check.close();
  // the first samples include start-up and the first rollups: growth is measured from the second one on
  const base = samples[Math.min(1, samples.length - 1)]!;
  const growth = samples.at(-1)! / base - 1;
  console.log(
    `  RSS total: first ${mb(samples[0]!)} MB · after warm-up ${mb(base)} MB · last ${mb(samples.at(-1)!)} MB · growth ${(growth * 100).toFixed(1)} %` +
      ` · largest process at its peak ${mb(largest)} MB`,
  );
  ok = safe && largest <= limitMb * 1024 * 1024 && growth <= 0.25;
  console.log(ok ? 'PASS' : 'FAIL');
} finally {
  pg?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
