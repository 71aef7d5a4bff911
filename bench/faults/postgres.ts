/**
 * A PostgreSQL of the fault scripts' own: a throw-away cluster in a temporary folder on a free
 * loopback port, which a script may stop, start and restart without touching the machine's server.
 * initdb refuses to run as root: as root, the server runs as the `postgres` user (TOOLCHAIN.md).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '@kizuna/collector/db/index.ts';
import { freePort, startCollector, type Server } from '../process.ts';
import { registerSite, storedIds, verdict, type Load } from './lib.ts';

const BIN = (() => {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql)');
  return path.join(root, version, 'bin');
})();

export interface PrivatePostgres {
  url: string;
  port: number;
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** stop (fast: connections are cut) and start again */
  restart(): void;
  destroy(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kizuna-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) =>
    process.getuid?.() === 0
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(BIN, cmd), args, { stdio: 'pipe' });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const ctl = (...args: string[]) => asPostgres('pg_ctl', ['-D', data, '-w', ...args]);
  const start = () => void ctl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`, '-l', path.join(dir, 'log'), 'start');
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: (mode = 'fast') => void ctl('-m', mode, 'stop'),
    start,
    restart: () => void ctl('-m', 'fast', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'restart'),
    destroy: () => {
      try {
        ctl('-m', 'immediate', 'stop');
      } catch {
        /* not running */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A private PostgreSQL with the fault scripts' site registered and the collector running on it.
 * `alive()` says whether the collector's process has run all along; `verdict()` stops it and
 * reads what the database stored. The cluster is destroyed by `destroy()` (or at once on failure).
 */
export async function collectorOnPrivatePostgres(): Promise<{
  pg: PrivatePostgres;
  server: Server;
  alive: () => boolean;
  verdict: (name: string, load: Load) => Promise<boolean>;
}> {
  const pg = await startPrivatePostgres();
  try {
    const db = await openDb({ url: pg.url, max: 1 });
    await registerSite(db);
    await db.close();
    const server = await startCollector({ env: { DATABASE_URL: pg.url } });
    let running = true;
    void server.exited.then(() => (running = false));
    return {
      pg,
      server,
      alive: () => running,
      verdict: async (name, load) => {
        await server.stop();
        const check = await openDb({ url: pg.url, max: 1 });
        try {
          return verdict(name, load, await storedIds(check));
        } finally {
          await check.close();
        }
      },
    };
  } catch (err) {
    pg.destroy();
    throw err;
  }
}
