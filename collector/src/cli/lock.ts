/**
 * One writer of an embedded database folder. PGlite takes no lock of its own: two processes opening
 * one folder each write their own copy of it, and one loses its writes. So whoever opens the folder
 * — the collector (`serve`, `demo`) or a one-off CLI command — first creates `kizuna.lock` in it,
 * holding its PID and, for a collector, the address and secret of its admin endpoint (./admin.ts)
 * through which CLI commands reach the database while it runs. The file is readable by its owner
 * only (mode 0600): the secret is the local user's. A lock whose PID is gone is stale (a crash, a
 * copied folder) and is taken over.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LockInfo {
  pid: number;
  /** what holds it: `serve`, `demo`, or a CLI command */
  command: string;
  /** the running collector's admin endpoint, http://127.0.0.1:port */
  admin?: string;
  secret?: string;
}

export interface HeldLock {
  /** makes the admin endpoint known to CLI commands */
  publish(admin: string, secret: string): void;
  release(): void;
}

export const lockFile = (dataDir: string) => path.join(dataDir, 'kizuna.lock');

/** Takes the folder's lock, or returns who holds it. */
export function acquireLock(dataDir: string, command: string): { held: HeldLock } | { holder: LockInfo } {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // written whole under a temporary name, then linked: another process never reads half a lock
      link(file, { pid: process.pid, command });
      const release = () => {
        if (readLock(file)?.pid === process.pid) unlinkSync(file);
        process.off('exit', release);
      };
      // a crash or process.exit() must not leave a lock behind for the next start to find
      process.on('exit', release);
      return {
        held: {
          publish: (admin, secret) => replace(file, { pid: process.pid, command, admin, secret }),
          release,
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(file);
    if (holder && isAlive(holder.pid)) return { holder };
    unlinkSync(file); // stale: its process is gone (or it is not a lock Kizuna wrote)
  }
  throw new Error(`cannot take the lock ${file}`);
}

export function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    return Number.isInteger(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

function link(file: string, info: LockInfo) {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } finally {
    unlinkSync(tmp);
  }
}

function replace(file: string, info: LockInfo) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  renameSync(tmp, file);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/**
 * The holder of a folder once it serves its admin endpoint: a collector that is still starting
 * (migrating, loading) publishes it within seconds. Another kind of holder is returned as it is.
 */
export async function settledHolder(dataDir: string, holder: LockInfo, timeoutMs = 60_000): Promise<LockInfo | undefined> {
  const until = Date.now() + timeoutMs;
  let now = holder;
  while (now.command === 'serve' && !now.admin && isAlive(now.pid) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const read = readLock(lockFile(dataDir));
    if (!read) return undefined; // it stopped meanwhile: the folder is free
    now = read;
  }
  return now;
}

/** `acquireLock`, waiting up to `waitMs` for a one-off CLI command holding the folder to finish (a collector is not waited for). */
export async function acquireLockPatiently(dataDir: string, command: string, waitMs = 15_000) {
  const until = Date.now() + waitMs;
  for (;;) {
    const lock = acquireLock(dataDir, command);
    if ('held' in lock || lock.holder.command === 'serve' || Date.now() > until) return lock;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
