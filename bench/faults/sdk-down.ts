/**
 * The SDK in Chromium with the collector down across a page reload: a page tracks events and
 * reloads while the collector (its own process) is stopped; the SDK keeps what it could not send
 * (persistent mode: localStorage); the collector comes back on the same port; the next page sends
 * the queue. Every event the page made must be stored exactly once.
 *
 *   npx tsx bench/faults/sdk-down.ts [--down 8]
 *
 * Prints made / queued while down / stored / duplicates / lost.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { openDb } from '@kizuna/collector/db/index.ts';
import { events } from '@kizuna/collector/db/schema.ts';
import { launchBrowser } from '@kizuna/collector/testing/chromium.ts';
import { addSite } from '@kizuna/collector/sites/index.ts';
import { num, parseArgs } from '../lib.ts';
import { freePort, startCollector, type Server } from '../process.ts';
import { SITE, sleep, storedIds } from './lib.ts';

const args = parseArgs();
const downSeconds = num(args, 'down', 8);
const SDK = fileURLToPath(new URL('../../sdk/dist/', import.meta.url));

const dir = await mkdtemp(path.join(os.tmpdir(), 'kizuna-sdk-down-'));
const collectorPort = await freePort();
// the page's own origin, serving the SDK too: a collector that is down cannot serve kizuna.js
const pages = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const script = /^\/(kizuna[\w.-]*\.js)$/.exec(url.pathname)?.[1];
  if (script) {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(path.join(SDK, script)));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Down</title>
    <script>window.kizuna=window.kizuna||function(){(kizuna.q=kizuna.q||[]).push(arguments)}</script>
    <script defer src="/kizuna.js" data-site="${SITE}" data-endpoint="http://127.0.0.1:${collectorPort}"></script>
    <h1>${url.pathname}</h1>`);
});
pages.listen(0, '127.0.0.1');
await new Promise((r) => pages.once('listening', r));
const origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
const env = { DATABASE_URL: '', KIZUNA_DATA_DIR: dir };

let ok = false;
let server: Server | undefined;
const browser = await launchBrowser();
try {
  const db = await openDb({ dataDir: dir });
  await addSite(db.sql, { id: SITE, origins: [origin] });
  await db.close();
  server = await startCollector({ env, port: collectorPort });
  await server.stop(); // down before the page opens

  const page = await browser.newPage();
  const track = (name: string) => page.evaluate((n) => (window as unknown as { kizuna(...a: unknown[]): void }).kizuna('track', n), name);
  const queued = () => page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('kizuna_q')) ?? '') ?? '[]') as { id: string }[]);
  await page.goto(`${origin}/first`, { waitUntil: 'load' });
  await track('before-reload');
  await sleep(1000);
  await page.reload({ waitUntil: 'load' });
  await track('after-reload');
  await sleep(downSeconds * 1000);
  await page.goto(`${origin}/second`, { waitUntil: 'load' }); // leaves a page: its events join the queue
  await sleep(500);
  const waiting = new Set((await queued()).map((e) => e.id));
  console.error(`collector down ${downSeconds} s: ${waiting.size} events queued in the page's storage`);

  server = await startCollector({ env, port: collectorPort });
  await page.goto(`${origin}/third`, { waitUntil: 'load' }); // a new page sends what is queued
  await track('after-return');
  await page.evaluate(() => (window as unknown as { kizuna: { flush(): Promise<void> } }).kizuna.flush());
  await page.close({ runBeforeUnload: true });
  await sleep(2000);
  await server.stop();
  server = undefined;

  const check = await openDb({ dataDir: dir });
  const stored = await storedIds(check);
  // what the page made, by what it is: 4 page views (the reload is one) and 3 custom events
  const made = await check.sql
    .select({ type: events.type, path: events.path, name: sql<string | null>`${events.data}->>'name'` })
    .from(events)
    .where(and(eq(events.siteId, SITE), inArray(events.type, ['pageview', 'custom'])));
  await check.close();
  const key = (e: { type: string; path: string; name: string | null }) => (e.type === 'custom' ? `track ${e.name}` : `view ${e.path}`);
  const counts = new Map<string, number>();
  for (const e of made) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  const expected: [string, number][] = [
    ['view /first', 2], ['view /second', 1], ['view /third', 1], ['track before-reload', 1], ['track after-reload', 1], ['track after-return', 1],
  ];
  const duplicates = [...stored.values()].reduce((n, c) => n + c - 1, 0);
  const lost = [...waiting].filter((id) => !stored.has(id)).length + expected.filter(([k, n]) => (counts.get(k) ?? 0) < n).length;
  const extra = expected.filter(([k, n]) => (counts.get(k) ?? 0) > n).length;
  console.log(
    `SDK with the collector down ${downSeconds} s across a reload: made ${expected.reduce((n, [, c]) => n + c, 0)} page views and events ` +
      `(${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}) · queued in storage while down ${waiting.size} · stored ${stored.size} ` +
      `(all types) · duplicates ${duplicates} · lost ${lost}`,
  );
  ok = duplicates === 0 && lost === 0 && extra === 0;
} finally {
  await server?.stop();
  await browser.dispose();
  pages.close();
  await rm(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
