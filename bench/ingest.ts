/**
 * Ingest throughput, side by side in one run: a bare Hono handler that parses the body and answers
 * 202 (the ceiling), Kizuna on PostgreSQL with 1 and 2 workers, and Kizuna on PGlite — each its own
 * process, as in production — under fresh batches (unique event ids, one visitor each, a browser
 * user agent) sent in a closed loop over keep-alive connections from this process. Then the raw
 * PostgreSQL COPY ceiling for the same rows. Loopback only, bounded by --seconds per setting.
 *
 *   npx tsx bench/ingest.ts --database-url postgres://postgres@127.0.0.1:5432/postgres
 *     [--seconds 5] [--connections 1,10,50] [--events 1,5,20] [--targets bare,pg1,pg2,pglite]
 *     [--profile DIR]   (CPU profiles of the servers, one per process, for `node --cpu-prof`)
 *
 * --database-url is a database the bench may create databases from (one fresh database per target,
 * dropped at the end). Prints req/s, events/s, p50/p99 latency and the ratio to the bare handler.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDb } from '@kizuna/collector/db/index.ts';
import { eventIds, events, sessions, visitors } from '@kizuna/collector/db/schema.ts';
import { fmtInt } from '@kizuna/collector/lib/progress.ts';
import { addSite } from '@kizuna/collector/sites/index.ts';
import { bulkWriter } from '@kizuna/collector/store/bulk.ts';
import { fmtMs, num, parseArgs, str } from './lib.ts';
import { startCollector, type Server } from './process.ts';

const args = parseArgs();
const seconds = num(args, 'seconds', 5);
const connections = (str(args, 'connections') ?? '1,10,50').split(',').map(Number);
const batchSizes = (str(args, 'events') ?? '1,5,20').split(',').map(Number);
const targets = (str(args, 'targets') ?? 'bare,pg1,pg2,pglite').split(',');
const adminUrl = str(args, 'database-url') ?? process.env.DATABASE_URL;
const profileDir = str(args, 'profile');
const SITE = 'ingest-bench.example';
const ORIGIN = 'https://ingest-bench.example';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A fresh batch of n events of one new visitor: a page view, then custom events. */
function body(n: number): string {
  const now = Date.now();
  const events = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(), type: i === 0 ? 'pageview' : 'custom', ts: now - (n - i) * 1000,
    url: `${ORIGIN}/products/${i}`, referrer: null, title: 'Product', data: i === 0 ? { vw: 1280 } : { name: 'Click' },
  }));
  return JSON.stringify({ site: SITE, visitor: randomUUID(), session: 's', sentAt: now, events });
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Closed loop: each connection sends its next request when the previous one is answered (202). */
async function load(port: number, conns: number, n: number): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const data = body(n);
      const t0 = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1', port, path: '/api/v1/events', method: 'POST', agent,
          headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA, 'content-length': Buffer.byteLength(data) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 202) latencies.push(performance.now() - t0);
            else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => (errors++, resolve()));
      req.end(data);
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: conns }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

/** A database of its own for a target, on the server of --database-url; dropped by `drop()`. */
async function freshDatabase(name: string) {
  const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Starts a target; returns it with how to clean up after it. */
async function startTarget(target: string): Promise<{ server: Server; done: () => Promise<void> }> {
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, target)}`] : [];
  // the rollup job runs beside ingest in production; here it would measure the job, not the write path
  const env = { KIZUNA_ROLLUP_EVERY_MS: '3600000' };
  if (target === 'bare') {
    const server = await startCollector({ script: fileURLToPath(new URL('./ingest-bare.ts', import.meta.url)), nodeArgs });
    return { server, done: async () => void (await server.stop()) };
  }
  if (target === 'pglite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kizuna-ingest-'));
    const db = await openDb({ dataDir: dir }); // one process at a time may open the folder: register the site first
    await addSite(db.sql, { id: SITE, origins: [ORIGIN] });
    await db.close();
    const server = await startCollector({ env: { ...env, DATABASE_URL: '', KIZUNA_DATA_DIR: dir }, nodeArgs });
    return { server, done: async () => (await server.stop(), await rm(dir, { recursive: true, force: true })) };
  }
  const workers = Number(/^pg(\d+)$/.exec(target)?.[1] ?? NaN);
  if (!adminUrl || !workers) throw new Error(`target ${target}: give --database-url for pg targets (pg1, pg2 …)`);
  const database = await freshDatabase(`kizuna_ingest_${target}_${process.pid}`);
  const db = await openDb({ url: database.url, max: 1 });
  await addSite(db.sql, { id: SITE, origins: [ORIGIN] });
  await db.close();
  const server = await startCollector({ args: ['--workers', String(workers)], env: { ...env, DATABASE_URL: database.url }, nodeArgs });
  return { server, done: async () => (await server.stop(), await database.drop()) };
}

/**
 * The raw PostgreSQL ceiling for the same rows: what one flush of `n`-event batches writes (events,
 * event ids, a session and a visitor per batch), COPY'd into an empty database, in events per second.
 */
async function copyCeiling(n: number, total = 40_000): Promise<number> {
  const database = await freshDatabase(`kizuna_ingest_copy_${process.pid}`);
  const db = await openDb({ url: database.url, max: 6 });
  try {
    const now = Date.now();
    const [e, ids, s, v] = await Promise.all([
      bulkWriter(db, events, ['id', 'siteId', 'visitorId', 'sessionId', 'type', 'ts', 'url', 'path', 'referrer', 'title', 'data']),
      bulkWriter(db, eventIds, ['id', 'ts']),
      bulkWriter(db, sessions, ['id', 'siteId', 'visitorId', 'startedAt', 'endedAt', 'landingUrl', 'landingPath', 'exitPath', 'pageviews', 'events']),
      bulkWriter(db, visitors, ['siteId', 'id', 'firstSeen', 'lastSeen']),
    ]);
    const t = performance.now();
    for (let b = 0; b < total / n; b++) {
      const visitor = randomUUID();
      const session = randomUUID();
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        const ts = new Date(now - (n - i) * 1000);
        e.add({ id, siteId: SITE, visitorId: visitor, sessionId: session, type: 'custom', ts, url: `${ORIGIN}/p`, path: '/p', referrer: null, title: 'P', data: { name: 'Click' } });
        ids.add({ id, ts });
      }
      s.add({ id: session, siteId: SITE, visitorId: visitor, startedAt: new Date(now), endedAt: new Date(now), landingUrl: ORIGIN, landingPath: '/', exitPath: '/', pageviews: 1, events: n });
      v.add({ siteId: SITE, id: visitor, firstSeen: new Date(now), lastSeen: new Date(now) });
      for (const w of [e, ids, s, v]) if (w.full) await w.flush();
    }
    await Promise.all([e, ids, s, v].map((w) => w.close()));
    return total / ((performance.now() - t) / 1000);
  } finally {
    await db.close();
    await database.drop();
  }
}

async function main() {
  const results = new Map<string, Result>(); // `${target} ${events} ${conns}`
  console.log(`ingest: ${seconds} s per setting; batches of ${batchSizes.join(', ')} events; ${connections.join(', ')} connections; targets ${targets.join(', ')}`);
  for (const target of targets) {
    const { server, done } = await startTarget(target);
    try {
      for (const n of batchSizes) {
        for (const c of connections) {
          const r = await load(server.port, c, n);
          results.set(`${target} ${n} ${c}`, r);
          console.error(`${target} ${n}-event batches ${c} conns: ${fmtInt(r.rps)} req/s, p50 ${fmtMs(r.p50)} ms, p99 ${fmtMs(r.p99)} ms, ${r.errors} errors`);
        }
      }
    } finally {
      await done();
    }
  }
  console.log('\n| target | events/batch | connections | req/s | events/s | p50 ms | p99 ms | × bare | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const target of targets) {
    for (const n of batchSizes) {
      for (const c of connections) {
        const r = results.get(`${target} ${n} ${c}`)!;
        const bare = results.get(`bare ${n} ${c}`);
        const ratio = bare ? (r.rps / bare.rps).toFixed(3) : '';
        console.log(`| ${target} | ${n} | ${c} | ${fmtInt(r.rps)} | ${fmtInt(r.rps * n)} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} | ${ratio} | ${r.errors} |`);
      }
    }
  }
  if (adminUrl) {
    console.log('\nraw PostgreSQL COPY ceiling for the same rows (events, event ids, a session and a visitor per batch):');
    for (const n of batchSizes) console.log(`  ${n}-event batches: ${fmtInt(await copyCeiling(n))} events/s`);
  }
}

await main();
