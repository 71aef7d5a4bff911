/**
 * Ingest throughput: fresh batches (unique event ids, one visitor each, a browser user agent) sent
 * in a closed loop over keep-alive connections to the collector, and to a bare Hono handler that
 * parses the body and answers 202 (the ceiling), side by side in one run. Loopback only, bounded.
 *
 *   npx tsx bench/ingest.ts [--database-url postgres://…|--data-dir DIR] [--seconds 5]
 *     [--connections 1,10,50] [--events 5]
 *
 * Prints req/s, events/s, p50 / p99 latency and the ratio to the bare handler for each setting.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { readEnv } from '@kizuna/collector/env.ts';
import { fmtInt } from '@kizuna/collector/lib/progress.ts';
import { startServer } from '@kizuna/collector/server.ts';
import { addSite } from '@kizuna/collector/sites/index.ts';
import { fmtMs, num, parseArgs, str } from './lib.ts';

const args = parseArgs();
const seconds = num(args, 'seconds', 5);
const connections = (str(args, 'connections') ?? '1,10,50').split(',').map(Number);
const perBatch = num(args, 'events', 5);
const url = str(args, 'database-url');
const dataDir = str(args, 'data-dir');
const SITE = 'ingest-bench.example';
const ORIGIN = 'https://ingest-bench.example';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function body(): string {
  const now = Date.now();
  const events = Array.from({ length: perBatch }, (_, i) => ({
    id: randomUUID(), type: i === 0 ? 'pageview' : 'custom', ts: now - (perBatch - i) * 1000,
    url: `${ORIGIN}/products/${i}`, referrer: null, title: 'Product', data: i === 0 ? { vw: 1280 } : { name: 'Click' },
  }));
  return JSON.stringify({ site: SITE, visitor: randomUUID(), session: 's', sentAt: now, events });
}

/** Closed loop: each connection sends its next request when the previous one is answered. */
async function load(port: number, conns: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const data = body();
      const t0 = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port, path: '/api/v1/events', method: 'POST', agent,
          headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA, 'content-length': Buffer.byteLength(data) } },
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
  await Promise.all(Array.from({ length: conns }, async () => {
    while (performance.now() < until) await one();
  }));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

async function main() {
  const bare = new Hono().post('/api/v1/events', async (c) => (JSON.parse(await c.req.text()), c.json({ accepted: perBatch }, 202)));
  const bareServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  // the rollup job runs beside ingest in production; here it would measure the job, not the write path
  const env = {
    ...readEnv({}), port: 0, host: '127.0.0.1', rollupEveryMs: 3_600_000, rateLimit: { perSecond: 1e9, burst: 1e9 },
    databaseUrl: url, dataDir: dataDir ?? readEnv({}).dataDir,
  };
  if (!url && !dataDir) throw new Error('give --database-url postgres://… or --data-dir DIR (PGlite)');
  const kizuna = await startServer(env);
  await addSite(kizuna.db.sql, { id: SITE, origins: [ORIGIN] });
  const kizunaPort = Number(new URL(kizuna.url).port);
  const barePort = (bareServer.address() as AddressInfo).port;
  console.log(`ingest, ${perBatch}-event batches, ${seconds} s per run, on ${url ? 'PostgreSQL' : 'PGlite'}`);
  console.log('| connections | bare req/s | Kizuna req/s | ratio | Kizuna events/s | Kizuna p50 / p99 ms | errors |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of connections) {
    const b = await load(barePort, c);
    const k = await load(kizunaPort, c);
    console.log(`| ${c} | ${fmtInt(b.rps)} | ${fmtInt(k.rps)} | ${(k.rps / b.rps).toFixed(3)} | ${fmtInt(k.rps * perBatch)} | ${fmtMs(k.p50)} / ${fmtMs(k.p99)} | ${k.errors} |`);
  }
  await kizuna.close();
  await new Promise<void>((resolve) => bareServer.close(() => resolve()));
}

await main();
