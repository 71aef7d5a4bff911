import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { testDb } from '../testing/db.ts';
import { integrityLines, loadScript, pickEncoding } from './sdk-script.ts';

let db: Db;
let dir: string;
let app: ReturnType<typeof createApp>;
const SOURCE = '(()=>{' + Array.from({ length: 400 }, (_, i) => `var a${i}=document.title+${i};`).join('') + '})();';

beforeAll(async () => {
  db = await testDb();
  dir = await mkdtemp(path.join(os.tmpdir(), 'kizuna-sdk-'));
  await writeFile(path.join(dir, 'kizuna.js'), SOURCE);
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
