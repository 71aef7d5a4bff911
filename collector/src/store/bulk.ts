/**
 * Bulk writes with COPY, the fastest way rows reach PostgreSQL (TOOLCHAIN.md): rows of a schema
 * table, given as the table's insert objects, encoded in COPY's text format (db/copy-in.ts).
 * PostgreSQL gets one long COPY stream per writer (one transaction, on a pooled connection of its
 * own, so tables load in parallel); PGlite a `COPY … FROM '/dev/blob'` per chunk of rows.
 *
 * The benchmarks fill their databases through this, so that no column list exists outside the schema.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { copyIn, copyLine } from '../db/copy-in.ts';
import type { Db } from '../db/index.ts';
import { names, render } from '../db/sql.ts';

type InsertOf<T extends PgTable> = T['$inferInsert'];

export interface BulkWriter<T extends PgTable, K extends keyof InsertOf<T>> {
  readonly rows: number;
  add(row: Pick<InsertOf<T>, K>): void;
  /** enough is buffered to be worth a flush */
  readonly full: boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A writer of `table`'s `keys` columns (schema names; the others take their defaults).
 * `rowsPerCopy` sizes PGlite's chunks; PostgreSQL flushes every 256 KB.
 */
export async function bulkWriter<T extends PgTable, K extends keyof InsertOf<T> & string>(
  db: Db,
  table: T,
  keys: readonly K[],
  rowsPerCopy = 5000,
): Promise<BulkWriter<T, K>> {
  const all = getTableColumns(table) as Record<string, AnyPgColumn>;
  // COPY takes no parameters: the statement is rendered to text once
  const copy = render(sql`copy ${table} ${names(...keys.map((k) => all[k]!))}`).sql;
  let buffer: string[] = [];
  let size = 0;
  let count = 0;
  const line = (row: Pick<InsertOf<T>, K>) => copyLine(keys.map((k) => (row as Record<string, unknown>)[k]));

  if (db.postgres) {
    const sink = await copyIn(db.postgres, copy);
    const flush = async () => {
      if (!buffer.length) return;
      const chunk = buffer.join('');
      buffer = [];
      size = 0;
      await sink.write(chunk);
    };
    return {
      get rows() {
        return count;
      },
      add(row) {
        const l = line(row);
        buffer.push(l);
        size += l.length;
        count++;
      },
      get full() {
        return size > 256 * 1024;
      },
      flush,
      async close() {
        await flush();
        await sink.end();
      },
    };
  }
  const pglite = db.pglite!;
  const flush = async () => {
    if (!buffer.length) return;
    const blob = new Blob([buffer.join('')]);
    buffer = [];
    await pglite.query(`${copy} from '/dev/blob'`, [], { blob });
  };
  return {
    get rows() {
      return count;
    },
    add(row) {
      buffer.push(line(row));
      count++;
    },
    get full() {
      return buffer.length >= rowsPerCopy;
    },
    flush,
    close: flush,
  };
}
