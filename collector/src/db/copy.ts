/**
 * Copies a whole Kizuna database into a PostgreSQL one: how the embedded database of a data folder
 * moves to PostgreSQL (`kizuna db copy`, cli/db.ts).
 *
 * - **Every table of the schema** (./schema.ts), found there — a table added later is copied too — in
 *   the order of their foreign keys (a site before its tokens).
 * - **One snapshot, one transaction.** The source is read in one read-only repeatable-read transaction;
 *   the target is written in one transaction, so it ends holding all of the source or, when anything
 *   fails (a refused row, a lost connection, a count that differs), nothing of it.
 * - **Refuse rather than merge.** The target's tables are locked, then a target with rows in any of
 *   them is refused, unless `replace`: its rows are then deleted first (in the same transaction).
 * - **Bounded memory.** Rows are read through a cursor, `batchRows` at a time, each column as
 *   PostgreSQL's own text for it (exact: microseconds, every digit of a float, arrays, bytea, jsonb), and
 *   streamed into the target's COPY.
 * - **As it was.** Ids are the rows' own; serial sequences continue where the source's were; partitioned
 *   tables (events, by month: migration 0001) get the source's partitions before their rows.
 * - **Verified.** Before the commit, every table's rows are counted in the target: a count that differs
 *   from the source's rolls the copy back. After it, the target's tables are analyzed.
 */
import { getTableColumns, getTableName, is, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, PgTable, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import { copyIn, copyLine } from './copy-in.ts';
import type { Db } from './index.ts';
import * as schema from './schema.ts';
import { as, execute, name, postgresDriver, render, rows, type Driver } from './sql.ts';

/** The schema's tables, each after the tables its foreign keys reference. */
export const TABLES: PgTable[] = inReferenceOrder((Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable)));

function inReferenceOrder(tables: PgTable[]): PgTable[] {
  const ordered: PgTable[] = [];
  const visit = (table: PgTable) => {
    if (ordered.includes(table)) return;
    for (const fk of getTableConfig(table).foreignKeys) {
      const parent = fk.reference().foreignTable;
      if (parent !== table) visit(parent);
    }
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered;
}

const SERIAL = new Set(['smallserial', 'serial', 'bigserial']);
/** The schema's serial columns: their sequences are copied too. */
const SERIALS = TABLES.flatMap((table) =>
  Object.values(getTableColumns(table) as Record<string, AnyPgColumn>)
    .filter((c) => SERIAL.has(c.getSQLType()))
    .map((column) => ({ table: getTableName(table), column: column.name })),
);

export interface CopyOptions {
  /** delete the target's rows first; without it a target holding rows is refused */
  replace?: boolean;
  /** rows read and written at a time */
  batchRows?: number;
  onProgress?: (rows: number, total: number) => void;
}

export interface CopiedTable {
  table: string;
  source: number;
  target: number;
}

export interface Copied {
  tables: CopiedTable[];
  /** partitions made in the target: `events_2026_11 of events` */
  partitions: string[];
  /** each serial column's sequence, as the source left it (null: never used) */
  sequences: { table: string; column: string; lastValue: number | null }[];
}

/** Copies every table of `source` into the PostgreSQL database `target` (both migrated: openDb). */
export async function copyDatabase(source: Db, target: Db, options: CopyOptions = {}): Promise<Copied> {
  if (!target.postgres) throw new Error('the target of a copy must be PostgreSQL');
  const client = target.postgres;
  const batchRows = options.batchRows ?? 5000;
  const copied = await source.driver.transaction(async (src) => {
    await execute(src, sql`set transaction isolation level repeatable read, read only`);
    await textFormats(src);
    const counts = await countRows(src);
    const total = counts.reduce((sum, n) => sum + n, 0);
    const partitions = await partitionsOf(src);
    const sequences = await Promise.all(SERIALS.map(async (s) => ({ ...s, lastValue: await lastValue(src, s) })));

    return (await client.begin(async (tx) => {
      const dst = postgresDriver(tx);
      await textFormats(dst);
      // a collector writing to the target meanwhile is waited for, not raced; a stuck one ends the copy
      await execute(dst, sql`set local lock_timeout = '30s'`);
      await execute(dst, sql`lock table ${sql.join(TABLES, sql`, `)} in access exclusive mode`);
      // rows there would merge two databases' ids and figures
      const held = await tablesWithRows(dst);
      if (held.length && !options.replace)
        throw new Error(`the target already holds Kizuna data (rows in ${held.join(', ')}): copy into an empty database, or add --force to delete them first`);
      if (held.length) await execute(dst, sql`truncate ${sql.join(TABLES, sql`, `)}`);
      const made = await mirrorPartitions(dst, partitions);

      let done = 0;
      for (const table of TABLES) {
        done += await copyTable(src, tx, table, batchRows, (n) => options.onProgress?.(done + n, total));
        options.onProgress?.(done, total);
      }
      for (const s of sequences) await setSequence(dst, s, s.lastValue);

      const tables = (await countRows(dst)).map((n, i) => ({ table: getTableName(TABLES[i]!), source: counts[i]!, target: n }));
      const differ = tables.filter((t) => t.source !== t.target);
      if (differ.length) throw new Error(`the copy differs from the source (${differ.map((t) => `${t.table}: ${t.source} rows, ${t.target} copied`).join('; ')}): rolled back`);
      return { tables, partitions: made, sequences };
    })) as Copied;
  });
  // the planner's statistics of the new rows now, not when autovacuum gets to them (if it runs at all)
  await execute(target.sql, sql`analyze ${sql.join(TABLES, sql`, `)}`);
  return copied;
}

/**
 * Text as both ends read it whatever their settings: ISO dates, instants with their offset (in UTC),
 * floats with every digit needed to read them back exactly.
 */
async function textFormats(ex: Driver) {
  await execute(ex, sql`set local timezone = 'UTC'`);
  await execute(ex, sql`set local datestyle = 'ISO, YMD'`);
  await execute(ex, sql`set local extra_float_digits = 1`);
}

/** Rows of each of TABLES, in their order. */
async function countRows(ex: Driver): Promise<number[]> {
  const counts = sql.join(
    TABLES.map((t) => sql`(select count(*) from ${t})`),
    sql`, `,
  );
  const [found] = await execute(ex, sql`select array[${counts}]::text[] as n`);
  return (found!.n as string[]).map(Number);
}

async function tablesWithRows(ex: Driver): Promise<string[]> {
  const checks = sql.join(
    TABLES.map((t) => sql`select ${getTableName(t)}::text as name where exists (select 1 from ${t})`),
    sql` union all `,
  );
  return (await rows(ex, checks, { name: as.text })).map((r) => r.name);
}

/** Streams one table through a cursor into the target's COPY; returns its rows. */
async function copyTable(src: Driver, tx: postgres.TransactionSql, table: PgTable, batchRows: number, onRows: (n: number) => void): Promise<number> {
  const columns = Object.values(getTableColumns(table) as Record<string, AnyPgColumn>);
  const keys = columns.map((c) => c.name);
  const cursor = sql.identifier('kizuna_copy');
  await execute(src, sql`declare ${cursor} no scroll cursor for select ${sql.join(columns.map((c) => sql`${c}::text as ${name(c)}`), sql`, `)} from ${table}`);
  const sink = await copyIn(tx, render(sql`copy ${table} (${sql.join(columns.map(name), sql`, `)})`).sql);
  let n = 0;
  try {
    for (;;) {
      const batch = await execute(src, sql`fetch forward ${sql.raw(String(batchRows))} from ${cursor}`);
      if (!batch.length) break;
      await sink.write(batch.map((row) => copyLine(keys.map((k) => row[k]))).join(''));
      onRows((n += batch.length));
    }
  } catch (error) {
    // a COPY left open would keep the target's connection from rolling back
    sink.fail(error as Error);
    throw error;
  }
  await execute(src, sql`close ${cursor}`);
  await sink.end();
  return n;
}

/** A partition as PostgreSQL prints its bound: `FOR VALUES FROM ('…') TO ('…')` of instants, or `DEFAULT`. */
interface Partition {
  parent: string;
  name: string;
  bound: string;
}

const BOUND = /^(DEFAULT|FOR VALUES FROM \('[\d :.+-]+'\) TO \('[\d :.+-]+'\))$/;

/** The partitions of the schema's tables. */
async function partitionsOf(ex: Driver): Promise<Partition[]> {
  const parents = sql.join(
    TABLES.map((t) => sql`${getTableName(t)}`),
    sql`, `,
  );
  return rows(
    ex,
    sql`select p.relname as parent, c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      join pg_namespace n on n.oid = p.relnamespace
      where n.nspname = current_schema() and p.relname in (${parents}) order by 1, 2`,
    { parent: as.text, name: as.text, bound: as.text },
  );
}

/**
 * Makes the target's partitions the source's: those it lacks are created (before any row arrives, so
 * each row lands in its own), those the source has not are dropped (the target is empty by now).
 */
async function mirrorPartitions(dst: Driver, wanted: Partition[]): Promise<string[]> {
  const key = (p: Partition) => `${p.parent}\t${p.name}\t${p.bound}`;
  const present = await partitionsOf(dst);
  const keep = new Set(wanted.map(key));
  for (const p of present.filter((p) => !keep.has(key(p)))) await execute(dst, sql`drop table ${sql.identifier(p.name)}`);
  const have = new Set(present.map(key));
  const made: string[] = [];
  for (const p of wanted.filter((p) => !have.has(key(p)))) {
    // the bound is SQL read from the source's catalog: only the shapes Kizuna makes are taken
    if (!BOUND.test(p.bound)) throw new Error(`partition ${p.name} of ${p.parent}: unexpected bound ${p.bound}`);
    await execute(dst, sql`create table ${sql.identifier(p.name)} partition of ${sql.identifier(p.parent)} ${sql.raw(p.bound)}`);
    made.push(`${p.name} of ${p.parent}`);
  }
  return made;
}

const sequenceOf = (s: { table: string; column: string }): SQL => sql`pg_get_serial_sequence(${s.table}, ${s.column})`;

async function lastValue(ex: Driver, s: { table: string; column: string }): Promise<number | null> {
  const [found] = await rows(ex, sql`select pg_sequence_last_value(${sequenceOf(s)}::regclass)::text as v`, { v: as.nullable(as.number) });
  return found!.v;
}

/** The sequence's next value follows the source's last (or its first, when the source never used it). */
async function setSequence(ex: Driver, s: { table: string; column: string }, value: number | null) {
  if (value === null) await execute(ex, sql`select setval(${sequenceOf(s)}, 1, false)`);
  else await execute(ex, sql`select setval(${sequenceOf(s)}, ${value})`);
}
