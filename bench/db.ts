/**
 * Database plumbing of the bench scripts: opening the collector's database the way the collector
 * does, bulk writers (COPY on PostgreSQL through postgres.js, COPY from a blob on PGlite) and size
 * figures.
 */
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import { openDb, type Db } from '../collector/src/db/index.ts';

export interface BenchDb {
  db: Db;
  /** a postgres.js client of its own for COPY (PostgreSQL only) */
  sql?: postgres.Sql;
  dataDir?: string;
  close(): Promise<void>;
}

export async function openBenchDb(url: string | undefined, dataDir: string | undefined): Promise<BenchDb> {
  if (url) {
    const host = new URL(url).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`the bench only talks to a local database, not ${host}`);
    const db = await openDb({ url, max: 4 });
    // TCP_NODELAY, as the collector does (TOOLCHAIN.md): COPY stalls on Nagle's algorithm otherwise
    const socket = ({ host, port }: { host: string[]; port: number[] }) =>
      new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: host[0], port: port[0]!, noDelay: true });
        s.once('connect', () => resolve(s)).once('error', reject);
      });
    const sql = postgres(url, { max: 4, onnotice: () => {}, socket } as postgres.Options<{}>);
    return { db, sql, close: async () => (await sql.end({ timeout: 5 }), await db.close()) };
  }
  if (!dataDir) throw new Error('give --database-url postgres://… or --data-dir DIR (PGlite)');
  const db = await openDb({ dataDir });
  return { db, dataDir, close: () => db.close() };
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null is \N. */
const SPECIAL = /[\\\t\n\r]/;
export function esc(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (!SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Rows of one table, as COPY text lines, flushed in chunks. */
export interface TableWriter {
  readonly table: string;
  rows: number;
  add(line: string): void;
  /** true when enough is buffered to be worth a flush */
  readonly full: boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * PostgreSQL: one long COPY stream per table (the fastest write path measured, TOOLCHAIN.md), on a
 * connection of its own, so the tables load in parallel. Each stream is one transaction.
 */
export async function pgCopyWriter(sql: postgres.Sql, table: string, columns: string[]): Promise<TableWriter> {
  const stream = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  const done = new Promise<void>((resolve, reject) => stream.on('finish', resolve).on('error', reject));
  done.catch(() => {}); // awaited in close(); a failure also surfaces from write
  let buffer: string[] = [];
  let size = 0;
  const w: TableWriter = {
    table,
    rows: 0,
    add(line) {
      buffer.push(line);
      size += line.length;
      w.rows++;
    },
    get full() {
      return size > 256 * 1024;
    },
    async flush() {
      if (!buffer.length) return;
      const chunk = buffer.join('');
      buffer = [];
      size = 0;
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
    },
    async close() {
      await w.flush();
      stream.end();
      await done;
    },
  };
  return w;
}

/** PGlite: `COPY … FROM '/dev/blob'` of ~5,000 rows at a time (each its own transaction). */
export function pgliteCopyWriter(db: Db, table: string, columns: string[], rowsPerCopy = 5000): TableWriter {
  const pg = db.pglite!;
  let buffer: string[] = [];
  const w: TableWriter = {
    table,
    rows: 0,
    add(line) {
      buffer.push(line);
      w.rows++;
    },
    get full() {
      return buffer.length >= rowsPerCopy;
    },
    async flush() {
      if (!buffer.length) return;
      const blob = new Blob([buffer.join('')]);
      buffer = [];
      await pg.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob });
    },
    close: () => w.flush(),
  };
  return w;
}

/** Bytes under a folder (PGlite's data dir). */
export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  const stack = [dir];
  for (let guard = 0; stack.length && guard < 1_000_000; guard++) {
    const d = stack.pop()!;
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) stack.push(p);
      else if (entry.isFile()) total += (await stat(p)).size;
    }
  }
  return total;
}

/** Bytes per table (indexes and TOAST included); `events` sums its partitions. */
export async function tableSizes(db: Db): Promise<{ table: string; bytes: number; rows: number | null }[]> {
  return (
    await db.query<{ table: string; bytes: string; rows: string | null }>(
      `with rels as (
         select c.oid, coalesce(p.relname, c.relname) as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         left join pg_inherits i on i.inhrelid = c.oid left join pg_class p on p.oid = i.inhparent
         where n.nspname = 'public' and c.relkind = 'r')
       select name as table, sum(pg_total_relation_size(oid))::bigint as bytes, sum(c.reltuples)::bigint as rows
       from rels join pg_class c using (oid) group by name order by 2 desc`,
    )
  ).map((r) => ({ table: r.table, bytes: Number(r.bytes), rows: r.rows === null ? null : Math.max(0, Number(r.rows)) }));
}
