/**
 * `kizuna db copy`: the embedded database of a data folder copied into PostgreSQL (db/copy.ts), to run
 * the collector there from then on. The folder must be still: the copy takes its lock, and refuses
 * while a collector (or another command) holds it — a collector writing during the copy would leave
 * its last events in the folder only. The copy reads one snapshot anyway.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { copyDatabase, type Copied } from '../db/copy.ts';
import { openDb, type Db } from '../db/index.ts';
import { ConfigError } from '../lib/errors.ts';
import { fmtInt, Progress } from '../lib/progress.ts';
import { acquireLock } from './lock.ts';
import { UsageError } from './spec.ts';

/** Copies the folder's database into `url`'s; returns the lines to print. */
export async function copyToPostgres(dataDir: string, url: string, force: boolean): Promise<string[]> {
  if (!existsSync(path.join(dataDir, 'PG_VERSION')))
    throw new UsageError(`${dataDir} holds no embedded database: give the data folder with --data (or KIZUNA_DATA_DIR)`);
  const lock = acquireLock(dataDir, 'db copy');
  if ('holder' in lock) {
    const { pid, command } = lock.holder;
    throw new UsageError(
      command === 'serve'
        ? `the collector (process ${pid}) runs on ${dataDir}: stop it first (Ctrl-C), then copy — events it took during the copy would stay behind`
        : `the data folder ${dataDir} is in use by process ${pid} (${command}): wait for it to finish`,
    );
  }
  try {
    return await withDb(openDb({ dataDir }), (source) =>
      withDb(openTarget(url), async (target) => {
        let progress: Progress | undefined;
        const copied = await copyDatabase(source, target, {
          replace: force,
          onProgress: (n, total) => (progress ??= new Progress('copy', total, 'rows')).update(n),
        });
        progress?.finish();
        return describe(copied, dataDir, url);
      }),
    );
  } finally {
    lock.held.release();
  }
}

async function withDb<T>(opening: Promise<Db>, use: (db: Db) => Promise<T>): Promise<T> {
  const db = await opening;
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** The target, migrated; a wrong URL is named as the flag it came from. */
async function openTarget(url: string): Promise<Db> {
  try {
    return await openDb({ url, max: 1 });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message.replace(/^DATABASE_URL/, '--to'));
    throw error;
  }
}

/** The URL without its password. */
function shown(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
}

function describe(copied: Copied, dataDir: string, url: string): string[] {
  const width = Math.max(...copied.tables.map((t) => t.table.length));
  const rows = copied.tables.reduce((sum, t) => sum + t.target, 0);
  return [
    `copied ${dataDir} into ${shown(url)}`,
    `${'table'.padEnd(width)}  ${'source'.padStart(12)}  ${'target'.padStart(12)}`,
    ...copied.tables.map((t) => `${t.table.padEnd(width)}  ${fmtInt(t.source).padStart(12)}  ${fmtInt(t.target).padStart(12)}`),
    ...(copied.partitions.length ? [`partitions made: ${copied.partitions.join(', ')}`] : []),
    ...copied.sequences.map((s) => `sequence of ${s.table}.${s.column}: ${s.lastValue === null ? 'unused' : `continues after ${fmtInt(s.lastValue)}`}`),
    `verified: ${fmtInt(rows)} rows in ${copied.tables.length} tables, as many in each as in the source`,
    `next: DATABASE_URL=<that URL> pnpm kizuna serve runs the collector on it; ${dataDir} is left as it was`,
  ];
}
