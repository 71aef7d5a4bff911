/**
 * The demo: the collector on the embedded database plus the `demo-site/` pages served on a second
 * port (a separate origin, as a real site would be), with the demo site registered, four weeks of
 * traffic seeded on an empty database (./seed.ts) and a report token printed.
 *
 * The periodic jobs start after the seed, which rolls its days up itself (with a progress bar):
 * the rollup job would otherwise take turns with the seed's writes on the one PGlite connection.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Db } from '../db/index.ts';
import { startMaintenance } from '../aggregate/maintenance.ts';
import { reachableHost, type Env } from '../env.ts';
import { startServer, type RunningServer } from '../server.ts';
import { addSite, getSite } from '../sites/index.ts';
import { createToken } from '../sites/tokens.ts';
import { TIMEZONE } from './model.ts';
import { NOT_SEEDED, seedDemo, type SeedOptions, type SeedResult } from './seed.ts';

export const DEMO_SITE = 'demo.kizuna.local';
const DEMO_DIR = fileURLToPath(new URL('../../../demo-site', import.meta.url));

export interface RunningDemo {
  collector: RunningServer;
  siteId: string;
  siteUrl: string;
  token: string;
  /** what the first start seeded (`seeded: false` on a database that had sessions) */
  seed: SeedResult;
  close(): Promise<void>;
}

export interface DemoOptions {
  db?: Db;
  /** tests give each run its own site id, so that runs sharing one PostgreSQL never mix */
  siteId?: string;
  /** the pages to serve (tests serve their own) */
  pagesDir?: string;
  /** the seed's size and clock; false: no seed (tests of the demo's server) */
  seed?: Pick<SeedOptions, 'days' | 'events' | 'seed' | 'now'> | false;
  /** the built SDK the collector serves; `sdk/dist` by default */
  sdkDir?: string;
}

export async function startDemo(env: Env, demoPort: number, options: DemoOptions = {}): Promise<RunningDemo> {
  const { siteId = DEMO_SITE, pagesDir = DEMO_DIR } = options;
  const collector = await startServer({ ...env, maintenance: false }, options.db, { sdkDir: options.sdkDir });
  const { db } = collector;
  const site = servePages(collector.url, siteId, pagesDir);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: site.fetch, port: demoPort, hostname: env.host }, () => resolve(s));
  });
  // the origin the browser sends: 0.0.0.0 is where the server listens, not an address a page is at
  const siteUrl = `http://${reachableHost(env.host)}:${(server.address() as AddressInfo).port}`;
  // a demo started before keeps its time zone: changing it here would leave its days counted in the old one
  const timezone = (await getSite(db.sql, siteId))?.timezone ?? TIMEZONE;
  await addSite(db.sql, { id: siteId, origins: [siteUrl], timezone });
  const closeServers = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await collector.close();
  };
  let seed = NOT_SEEDED;
  try {
    if (options.seed !== false) seed = await seedDemo({ db, siteId, origin: siteUrl, timezone, progress: true, ...options.seed });
  } catch (error) {
    await closeServers();
    throw error;
  }
  const stopMaintenance = env.maintenance ? await startMaintenance(db, { rollupEveryMs: env.rollupEveryMs }) : () => {};
  // labelled and expiring: each start mints one, and `kizuna token list` tells them apart
  const token = await createToken(db.sql, { siteId, label: 'demo', expires: '30d' });
  return {
    collector,
    siteId,
    siteUrl,
    token,
    seed,
    close: async () => {
      stopMaintenance();
      await closeServers();
    },
  };
}

/**
 * Static pages, with the collector's URL and the site id in their script tags. An .html page's
 * `<!--#include NAME-->` is replaced by `_NAME.html` of the same folder (partials are not served).
 */
function servePages(collectorUrl: string, siteId: string, dir: string) {
  const fill = (html: string) => html.replaceAll('__KIZUNA_ENDPOINT__', collectorUrl).replaceAll(`data-site="${DEMO_SITE}"`, `data-site="${siteId}"`);
  const INCLUDE = /<!--#include ([\w-]+)-->/g;
  const render = async (file: string) => {
    const html = await readFile(file, 'utf8');
    const names = [...new Set(Array.from(html.matchAll(INCLUDE), (m) => m[1]!))];
    const parts = new Map(await Promise.all(names.map(async (n) => [n, (await readFile(path.join(dir, `_${n}.html`), 'utf8')).replace(/\n$/, '')] as const)));
    return fill(html.replace(INCLUDE, (_, n: string) => parts.get(n)!));
  };
  const app = new Hono();
  app.get('/kizuna.js', (c) => c.redirect(`${collectorUrl}/kizuna.js`));
  app.get('/*', async (c) => {
    try {
      const file = await pageFile(dir, c.req.path);
      if (file.endsWith('.html')) return c.html(await render(file));
      const body = await readFile(file);
      return c.body(new Uint8Array(body), 200, { 'Content-Type': contentType(file) });
    } catch {
      const notFound = await render(path.join(dir, '404.html')).catch(() => 'Not found');
      return c.html(notFound, 404);
    }
  });
  return app;
}

/**
 * The file a path is served from: the file itself (`/style.css`, `/pricing.html`), else the page of
 * that name (`/pricing` → pricing.html), else the page of its first segment (`/faq/returns` →
 * faq.html, `/product/42` → product.html). So the demo's few pages answer at the paths its seeded
 * traffic visits (demo/model.ts), and a visitor's clicks there join the same pages in the reports.
 * Partials (`_head.html`), the 404 page (the answer to what is not there) and anything outside the
 * folder are never served as a page.
 */
async function pageFile(dir: string, urlPath: string): Promise<string> {
  const name = urlPath === '/' ? 'index.html' : urlPath.slice(1);
  const first = name.split('/')[0]!;
  for (const candidate of [name, `${name}.html`, `${first}.html`]) {
    const file = path.resolve(dir, candidate);
    if (!file.startsWith(dir + path.sep) || path.basename(file).startsWith('_') || path.basename(file) === '404.html') continue;
    if ((await stat(file).catch(() => null))?.isFile()) return file;
  }
  throw new Error(`not served: ${urlPath}`);
}

const contentType = (file: string) =>
  ({ '.css': 'text/css', '.js': 'application/javascript', '.svg': 'image/svg+xml', '.png': 'image/png' })[path.extname(file)] ??
  'application/octet-stream';
