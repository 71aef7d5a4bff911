/**
 * Database plumbing of the bench scripts: opening the collector's database the way the collector
 * does (loopback only), and size figures. Rows are written through the product (its store's bulk
 * writer, `@kizuna/collector/store/bulk.ts`), never with column lists of the bench's own.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDb, type Db } from '@kizuna/collector/db/index.ts';
import { as, rows } from '@kizuna/collector/db/sql.ts';

export interface BenchDb {
  db: Db;
  dataDir?: string;
  close(): Promise<void>;
}

export async function openBenchDb(url: string | undefined, dataDir: string | undefined): Promise<BenchDb> {
  if (url) {
    const host = new URL(url).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`the bench only talks to a local database, not ${host}`);
    const db = await openDb({ url, max: 6 });
    return { db, close: () => db.close() };
  }
  if (!dataDir) throw new Error('give --database-url postgres://… or --data-dir DIR (PGlite)');
  const db = await openDb({ dataDir });
  return { db, dataDir, close: () => db.close() };
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
  const found = await rows(
    db.sql,
    sql`with rels as (
         select c.oid, coalesce(p.relname, c.relname) as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         left join pg_inherits i on i.inhrelid = c.oid left join pg_class p on p.oid = i.inhparent
         where n.nspname = 'public' and c.relkind = 'r')
       select name as table, sum(pg_total_relation_size(oid))::bigint as bytes, sum(c.reltuples)::bigint as rows
       from rels join pg_class c using (oid) group by name order by 2 desc`,
    { table: as.text, bytes: as.number, rows: as.nullable(as.number) },
  );
  return found.map((r) => ({ ...r, rows: r.rows === null ? null : Math.max(0, r.rows) }));
}

/** The database's size on disk. */
export async function databaseSize(db: Db): Promise<number> {
  return (await rows(db.sql, sql`select pg_database_size(current_database())::bigint as bytes`, { bytes: as.number }))[0]!.bytes;
}
