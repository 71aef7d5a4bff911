/**
 * kill -9 of the collector under load, twice, on PostgreSQL and on PGlite: no acknowledged event
 * may be lost or stored twice. The load retries what was not acknowledged, as the SDK does.
 *
 *   npx tsx bench/faults/kill9.ts [--db postgres,pglite] [--seconds 6] [--connections 20]
 *
 * Prints, per database: sent / acknowledged / stored / duplicates / lost; exits 1 unless lost and
 * duplicates are 0.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDb, type OpenOptions } from '@kizuna/collector/db/index.ts';
import { num, parseArgs, str } from '../lib.ts';
import { startCollector, type Server } from '../process.ts';
import { registerSite, sleep, startLoad, storedIds, verdict } from './lib.ts';
import { startPrivatePostgres } from './postgres.ts';

const args = parseArgs();
const databases = (str(args, 'db') ?? 'postgres,pglite').split(',');
const seconds = num(args, 'seconds', 6);
const connections = num(args, 'connections', 20);

async function run(kind: string): Promise<boolean> {
  const pg = kind === 'postgres' ? await startPrivatePostgres() : undefined;
  const dir = pg ? undefined : await mkdtemp(path.join(os.tmpdir(), 'kizuna-kill9-'));
  const open: OpenOptions = pg ? { url: pg.url, max: 1 } : { dataDir: dir };
  const env = pg ? { DATABASE_URL: pg.url } : { DATABASE_URL: '', KIZUNA_DATA_DIR: dir };
  try {
    const db = await openDb(open);
    await registerSite(db);
    await db.close();
    let server: Server = await startCollector({ env });
    const port = server.port;
    const load = startLoad({ url: () => server.url, connections, eventsPerBatch: 5 });
    for (let kill = 1; kill <= 2; kill++) {
      await sleep(seconds * 1000);
      await server.kill9();
      console.error(`${kind}: kill -9 #${kill} (pid ${server.pid}) after ${load.acked.size} acknowledged events`);
      server = await startCollector({ env, port });
    }
    await sleep(seconds * 1000);
    await load.stop();
    await server.stop();
    const check = await openDb(open);
    const ok = verdict(`kill -9 ×2 on ${kind}`, load, await storedIds(check));
    await check.close();
    return ok;
  } finally {
    pg?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

let ok = true;
for (const kind of databases) ok = (await run(kind)) && ok;
process.exit(ok ? 0 : 1);
