/**
 * `GET /kizuna.js` and its lazily loaded chunks: the built SDK, compressed once when first asked
 * for (brotli at its best quality, gzip) and served in the encoding the browser takes
 * (`Vary: Accept-Encoding`). Issue #15: uncompressed, a first visit cost 31.7 KB.
 *
 * Caching: `kizuna.js` (the URL in every site's tag) is cached 5 minutes, with a content hash in
 * its ETag, so a new build is picked up as soon as that runs out. The chunks it loads are named by
 * their content hash (`kizuna.signals.<hash>.js`, written in by the SDK's build: rollup.config.js
 * `hashedNames`): such a URL always means the same bytes and is cached for a year, `immutable`. A
 * chunk asked for without its hash (the npm package, which is not built with the collector) or with
 * another build's hash (a kizuna.js cached before a deploy) gets the current build, short-cached.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';

/** a built script's file name (`kizuna.js`, `kizuna.signals.js`) */
const SCRIPT = /^kizuna(?:\.[a-z]+)?\.js$/;
/** a URL's file name: the script's name, then maybe its content hash (`kizuna.signals.mv-BY2nj.js`) */
const SCRIPT_URL = /^(kizuna(?:\.[a-z]+)?)(?:\.([\w-]{8}))?\.js$/;
/**
 * Scripts renamed by a build, under their old name: a kizuna.js cached before the deploy still asks
 * for it. The full scrubbing rules moved from `kizuna.scrub.js` into `kizuna.signals.js` (issue #12's
 * load time), which does what the old chunk did: hands the rules over and starts the signals.
 */
const RENAMED: Record<string, string> = { 'kizuna.scrub': 'kizuna.signals' };
const SHORT_CACHE = 'public, max-age=300, stale-while-revalidate=86400';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A script as served: its bytes in each encoding, by `Content-Encoding` ('' is none). */
export interface Script {
  encodings: Record<Encoding, Buffer>;
  /** strong validator of the content; each encoding's ETag adds the encoding (RFC 9110 §8.8.3) */
  hash: string;
  /**
   * the content hash in the script's URL: the first 8 characters of the base64url SHA-256 of its
   * bytes, as the SDK's build writes it (sdk/rollup.config.js `hashedNames`)
   */
  urlHash: string;
  /** the `integrity` value of a `<script>` tag that pins this build (SRI) */
  integrity: string;
}
type Encoding = 'br' | 'gzip' | '';

/** Reads and compresses one built script; undefined when it is not built. */
export async function loadScript(dir: string, name: string): Promise<Script | undefined> {
  const body = await readFile(path.join(dir, name)).catch(() => undefined);
  if (!body) return undefined;
  const hash = createHash('sha256').update(body).digest('base64url');
  return {
    encodings: {
      br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gzip: gzipSync(body, { level: 9 }),
      '': body,
    },
    hash: hash.slice(0, 16),
    urlHash: hash.slice(0, 8),
    integrity: 'sha384-' + createHash('sha384').update(body).digest('base64'),
  };
}

/**
 * `kizuna sri`: each built script with its integrity, then a script tag that pins kizuna.js for a
 * site that pins its scripts (the chunks kizuna.js adds carry no integrity: only the tag is pinned).
 */
export async function integrityLines(dir: string, endpoint: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [])).filter((name) => SCRIPT.test(name)).sort();
  const scripts = await Promise.all(names.map(async (name) => [name, (await loadScript(dir, name))!.integrity] as const));
  const main = scripts.find(([name]) => name === 'kizuna.js');
  if (!main) return ['the SDK is not built: run `pnpm build`'];
  return [
    ...scripts.map(([name, integrity]) => `${name}  ${integrity}`),
    '',
    `<script defer src="${endpoint.replace(/\/+$/, '')}/kizuna.js" integrity="${main[1]}" crossorigin="anonymous" data-site="…"></script>`,
  ];
}

/** The encoding to answer with: brotli, else gzip, else none — each only if the request accepts it (q > 0). */
export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding, ...params] = part.toLowerCase().split(';').map((s) => s.trim());
    const q = params.map((p) => /^q=([\d.]+)$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (coding) accepted.set(coding, q === undefined ? 1 : Number(q));
  }
  const takes = (coding: string) => (accepted.get(coding) ?? accepted.get('*') ?? 0) > 0;
  return takes('br') ? 'br' : takes('gzip') ? 'gzip' : '';
}

export function sdkScriptRoutes(deps: AppDeps) {
  const files = new Map<string, Promise<Script | undefined>>();

  const app = new Hono();
  app.get('/:file{kizuna[\\w.-]*\\.js}', async (c) => {
    const [, base, urlHash] = SCRIPT_URL.exec(c.req.param('file')) ?? [];
    if (!base) return c.notFound();
    const name = (RENAMED[base] ?? base) + '.js';
    if (!files.has(name)) files.set(name, loadScript(deps.sdkDir, name));
    const file = await files.get(name)!;
    if (!file) {
      files.delete(name); // not built yet: look again next time
      return c.text('// Kizuna SDK not built: run `pnpm build`', 404);
    }
    const encoding = pickEncoding(c.req.header('accept-encoding'));
    const etag = `"${file.hash}${encoding && '-' + encoding}"`;
    c.header('ETag', etag);
    c.header('Vary', 'Accept-Encoding');
    c.header('Cache-Control', urlHash === file.urlHash ? IMMUTABLE : SHORT_CACHE);
    c.header('Access-Control-Allow-Origin', '*');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    if (encoding) c.header('Content-Encoding', encoding);
    return c.body(new Uint8Array(file.encodings[encoding]), 200, { 'Content-Type': 'application/javascript; charset=utf-8' });
  });
  return app;
}
