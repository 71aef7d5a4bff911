/**
 * A site of test pages on an origin of its own, registered for the stack's site: its script tags
 * name the recording proxy (proxy.ts) as the collector, which the demo site's pages cannot (they get
 * the collector's own URL), and its `/kizuna.js` is the proxy's. A path with no file is answered
 * with the nearest `index.html` above it, as a single-page app's server does for its history-mode
 * routes.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RunningDemo } from '../../collector/src/demo/index.ts';
import { DEMO_SITE } from '../../collector/src/demo/index.ts';
import { addSite, getSite } from '../../collector/src/sites/index.ts';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' };

let registering = Promise.resolve();

export interface Site {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `dir`, with `__KIZUNA_ENDPOINT__` in its pages replaced by `endpoint` and the demo site id
 * by the stack's.
 */
export async function serveSite(stack: RunningDemo, endpoint: string, dir: string): Promise<Site> {
  const root = path.resolve(dir);
  const fill = (html: string) => html.replaceAll('__KIZUNA_ENDPOINT__', endpoint).replaceAll(`data-site="${DEMO_SITE}"`, `data-site="${stack.siteId}"`);
  const read = async (file: string) => [file, await readFile(file)] as const;
  const find = async (url: string) => {
    const file = path.join(root, decodeURIComponent(new URL(url, 'http://x').pathname));
    if (!file.startsWith(root)) return undefined;
    const found = await read(file).catch(() => undefined);
    if (found || path.extname(file)) return found; // a file, or a missing one: 404
    // a folder, or a history-mode route: the app's index.html in it or the nearest folder above
    for (let dir = file; dir.startsWith(root); dir = path.dirname(dir)) {
      const index = await read(path.join(dir, 'index.html')).catch(() => undefined);
      if (index || dir === root) return index;
    }
    return undefined;
  };
  const server = http.createServer(async (req, res) => {
    // the script tag's `/kizuna.js`, as the demo site has it: the collector's, through the proxy
    if (req.url === '/kizuna.js') {
      res.writeHead(302, { Location: `${endpoint}/kizuna.js` }).end();
      return;
    }
    const found = await find(req.url ?? '/');
    if (!found) {
      res.writeHead(404).end('not found');
      return;
    }
    const [file, body] = found;
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type });
    res.end(type.startsWith('text/html') ? fill(body.toString()) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // one at a time: each adds its origin to the list the previous one wrote
  await (registering = registering.then(async () => {
    const site = (await getSite(stack.collector.db.sql, stack.siteId))!;
    // as localhost too: a page of the site can embed one of it from another site (a cross-site frame)
    const origins = [url, url.replace('127.0.0.1', 'localhost')];
    await addSite(stack.collector.db.sql, { id: site.id, origins: [...site.origins, ...origins], timezone: site.timezone });
  }));
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
