/**
 * `GET /kizuna.js` and its lazily loaded chunks: the built SDK, cacheable, with a content hash in
 * the ETag so a new build is picked up as soon as the short max-age runs out.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';

const SCRIPT = /^kizuna(?:\.[\w-]+)?\.js$/;

export function sdkScriptRoutes(deps: AppDeps) {
  const files = new Map<string, Promise<{ body: Buffer; etag: string } | undefined>>();
  const load = (name: string) =>
    readFile(path.join(deps.sdkDir, name)).then(
      (body) => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` }),
      () => undefined,
    );

  const app = new Hono();
  app.get('/:file{kizuna[\\w.-]*\\.js}', async (c) => {
    const name = c.req.param('file');
    if (!SCRIPT.test(name)) return c.notFound();
    if (!files.has(name)) files.set(name, load(name));
    const file = await files.get(name)!;
    if (!file) {
      files.delete(name); // not built yet: look again next time
      return c.text('// Kizuna SDK not built: run `pnpm build`', 404);
    }
    c.header('ETag', file.etag);
    c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
    c.header('Access-Control-Allow-Origin', '*');
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
    return c.body(new Uint8Array(file.body), 200, { 'Content-Type': 'application/javascript; charset=utf-8' });
  });
  return app;
}
