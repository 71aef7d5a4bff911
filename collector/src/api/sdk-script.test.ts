import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { SDK_DIST } from '../deps.ts';
import { testDb } from '../testing/db.ts';
import { integrityLines, loadScript, pickEncoding } from './sdk-script.ts';

let db: Db;
let dir: string;
let app: ReturnType<typeof createApp>;
const CHUNK = '(()=>{window.__kizunaSignals?.([])})();';
const SOURCE = '(()=>{' + Array.from({ length: 400 }, (_, i) => `var a${i}=document.title+${i};`).join('') + '})();';

beforeAll(async () => {
  db = await testDb();
  dir = await mkdtemp(path.join(os.tmpdir(), 'kizuna-sdk-'));
  await writeFile(path.join(dir, 'kizuna.js'), SOURCE);
  await writeFile(path.join(dir, 'kizuna.signals.js'), CHUNK);
  app = createApp({ db, sdkDir: dir });
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (acceptEncoding?: string, etag?: string) =>
  app.request('/kizuna.js', { headers: { ...(acceptEncoding !== undefined && { 'accept-encoding': acceptEncoding }), ...(etag && { 'if-none-match': etag }) } });

describe('GET /kizuna.js', () => {
  it('answers brotli, gzip or the plain bytes as the browser accepts, varying on Accept-Encoding', async () => {
    const br = await get('gzip, deflate, br, zstd');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brotliDecompressSync(brBytes).toString()).toBe(SOURCE);
    expect(brBytes.length).toBeLessThan(SOURCE.length / 4);

    const gzip = await get('gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(SOURCE);

    const plain = await get();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SOURCE);
    // one validator per representation: a cache must not answer gzip bytes to a brotli request
    expect(new Set([br, gzip, plain].map((r) => r.headers.get('etag'))).size).toBe(3);
  });

  it('answers 304 to the ETag of the same encoding', async () => {
    const etag = (await get('br')).headers.get('etag')!;
    expect((await get('br', etag)).status).toBe(304);
    expect((await get('gzip', etag)).status).toBe(200);
  });

  it('gives the SRI integrity of the build', async () => {
    const script = await loadScript(dir, 'kizuna.js');
    expect(script!.integrity).toBe('sha384-' + createHash('sha384').update(SOURCE).digest('base64'));
    expect(await loadScript(dir, 'kizuna.nope.js')).toBeUndefined();
  });
});

describe('cache lifetimes (issue #15)', () => {
  const urlHash = createHash('sha256').update(CHUNK).digest('base64url').slice(0, 8);
  const cacheOf = async (file: string) => {
    const res = await app.request(`/${file}`);
    return [res.status, res.headers.get('cache-control'), await res.text()];
  };

  it('caches a chunk named by its content hash for a year, immutable', async () => {
    expect(await cacheOf(`kizuna.signals.${urlHash}.js`)).toEqual([200, 'public, max-age=31536000, immutable', CHUNK]);
  });

  it('caches kizuna.js, a chunk without its hash or with another build\'s, for minutes: the current build', async () => {
    const short = 'public, max-age=300, stale-while-revalidate=86400';
    expect(await cacheOf('kizuna.js')).toEqual([200, short, SOURCE]);
    expect(await cacheOf('kizuna.signals.js')).toEqual([200, short, CHUNK]);
    expect(await cacheOf('kizuna.signals.AAAAAAAA.js')).toEqual([200, short, CHUNK]);
    expect((await app.request('/kizuna.signals.toolong-hash.js')).status).toBe(404);
    // a kizuna.js cached before the scrubbing rules moved into the signals chunk asks for the old one
    expect(await cacheOf('kizuna.scrub.js')).toEqual([200, short, CHUNK]);
  });

  it('the built scripts name their chunks by the hash the collector computes', async () => {
    for (const [script, chunk] of [['kizuna.js', 'signals'], ['kizuna.signals.js', 'vitals']]) {
      const code = await readFile(path.join(SDK_DIST, script), 'utf8');
      const built = await loadScript(SDK_DIST, `kizuna.${chunk}.js`);
      expect(code).toContain(`kizuna.${chunk}.${built!.urlHash}.js`);
    }
  });
});

describe('integrityLines (kizuna sri)', () => {
  it('lists each built script with its integrity and a tag that pins kizuna.js', async () => {
    const integrity = 'sha384-' + createHash('sha384').update(SOURCE).digest('base64');
    const lines = await integrityLines(dir, 'https://stats.example/');
    expect(lines[0]).toBe(`kizuna.js  ${integrity}`);
    expect(lines.at(-1)).toBe(`<script defer src="https://stats.example/kizuna.js" integrity="${integrity}" crossorigin="anonymous" data-site="…"></script>`);
    expect(await integrityLines(path.join(dir, 'missing'), 'https://stats.example')).toEqual(['the SDK is not built: run `pnpm build`']);
  });
});

describe('pickEncoding', () => {
  it.each([
    ['br', 'br'],
    ['gzip, br;q=0', 'gzip'],
    ['br;q=0, gzip;q=0', ''],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', ''],
    ['GZIP ; q=0.5', 'gzip'],
    ['', ''],
  ])('%j → %j', (header, encoding) => expect(pickEncoding(header)).toBe(encoding));
});
