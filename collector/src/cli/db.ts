/**
 * The embedded database's folder as a whole: `kizuna db copy` copies it into PostgreSQL (db/copy.ts),
 * to run the collector there from then on; `kizuna db backup` and `db restore` copy the folder itself.
 * Each takes the folder's lock and refuses while a collector (or another command) holds it: a folder
 * being written is copied half old, half new — and the copy of a collector's lock would send later
 * commands on the copy to that collector.
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { copyDatabase, type Copied } from '../db/copy.ts';
import { openDb, type Db } from '../db/index.ts';
import { ConfigError } from '../lib/errors.ts';
import { fmtInt, Progress } from '../lib/progress.ts';
import { acquireLock, lockFile } from './lock.ts';
import { UsageError } from './spec.ts';

/** Copies the folder's database into `url`'s; returns the lines to print. */
export async function copyToPostgres(dataDir: string, url: string, force: boolean): Promise<string[]> {
  return holdingDatabase(dataDir, 'db copy', () =>
    withDb(openDb({ dataDir }), (source) =>
      withDb(openTarget(url), async (target) => {
        let progress: Progress | undefined;
        const copied = await copyDatabase(source, target, {
          replace: force,
          onProgress: (n, total) => (progress ??= new Progress('copy', total, 'rows')).update(n),
        });
        progress?.finish();
        return describe(copied, dataDir, url);
      }),
    ),
  );
}

/** Copies the data folder, but its lock, into a new folder `to`. */
export async function backupFolder(dataDir: string, to: string): Promise<string[]> {
  if (existsSync(to)) throw new UsageError(`--to: ${to} exists already: back up into a new folder`);
  await holdingDatabase(dataDir, 'db backup', async () => copyFolder(dataDir, to));
  return [`backed up ${dataDir} into ${to} (to restore it: kizuna db restore --from ${to})`];
}

/** Replaces the data folder's database with the backup `from`; a folder holding one only with `force`. */
export async function restoreFolder(dataDir: string, from: string, force: boolean): Promise<string[]> {
  if (!isDatabase(from)) throw new UsageError(`--from: ${from} holds no embedded database (a folder made by kizuna db backup)`);
  const lock = acquireLock(dataDir, 'db restore');
  if ('holder' in lock) throw refusal(dataDir, lock.holder);
  try {
    if (isDatabase(dataDir) && !force) throw new UsageError(`${dataDir} holds a database: add --force to replace it with ${from}`);
    for (const entry of readdirSync(dataDir)) if (!isLock(entry)) rmSync(path.join(dataDir, entry), { recursive: true });
    copyFolder(from, dataDir);
  } finally {
    lock.held.release();
  }
  return [`restored ${dataDir} from ${from}`];
}

/** A folder PGlite made (a PostgreSQL data directory). */
const isDatabase = (dir: string) => existsSync(path.join(dir, 'PG_VERSION'));
/** `kizuna.lock`, and the files it is written through (./lock.ts) */
const isLock = (file: string) => path.basename(file).startsWith(path.basename(lockFile('')));
const copyFolder = (from: string, to: string) => cpSync(from, to, { recursive: true, preserveTimestamps: true, filter: (file) => !isLock(file) });

/** Runs `job` holding the lock of a folder that holds a database; refused while anything else holds it. */
async function holdingDatabase<T>(dataDir: string, command: string, job: () => Promise<T>): Promise<T> {
  if (!isDatabase(dataDir)) throw new UsageError(`${dataDir} holds no embedded database: give the data folder with --data (or KIZUNA_DATA_DIR)`);
  const lock = acquireLock(dataDir, command);
  if ('holder' in lock) throw refusal(dataDir, lock.holder);
  try {
    return await job();
  } finally {
    lock.held.release();
  }
}

function refusal(dataDir: string, holder: { pid: number; command: string }) {
  return new UsageError(
    holder.command === 'serve'
      ? `the collector (process ${holder.pid}) runs on ${dataDir}: stop it first (Ctrl-C) — what it writes meanwhile would be half copied`
      : `the data folder ${dataDir} is in use by process ${holder.pid} (${holder.command}): wait for it to finish`,
  );
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
    `next: DATABASE_URL=<that URL> pnpm kizuna serve runs the collector on it; ${dataDir} keeps its data`,
  ];
}
