/**
 * The migrations (collector/drizzle/, applied in order to an empty database by the test run's
 * setup) build exactly the tables of db/schema.ts: the same tables, columns (type, null, default),
 * primary keys and indexes — and the events table partitioned by time, which only the hand-written
 * migration says.
 */
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { is, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../testing/db.ts';
import type { Db } from './index.ts';
import * as schema from './schema.ts';
import { as, rows } from './sql.ts';

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => is(t, PgTable)).map(getTableConfig);

/** serial types are integers with a sequence's default, in the catalog */
const CATALOG_TYPE: Record<string, string> = { serial: 'integer', bigserial: 'bigint' };
/** What the schema says of a column, in the words PostgreSQL's catalog uses. */
const declared = (c: PgColumn) => ({ type: CATALOG_TYPE[c.getSQLType()] ?? c.getSQLType(), notNull: c.notNull, hasDefault: c.hasDefault });

async function columnsOf(table: string) {
  const found = await rows(
    db.sql,
    sql`select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null, a.atthasdef as has_default
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = ${table} and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    { name: as.text, type: as.text, not_null: as.bool, has_default: as.bool },
  );
  return Object.fromEntries(found.map((c) => [c.name, { type: c.type, notNull: c.not_null, hasDefault: c.has_default }]));
}

/** Index name → its definition's column list (`site_id, ts` …) and whether it is partial (`where …`), primary keys included. */
async function indexesOf(table: string) {
  const found = await rows(
    db.sql,
    sql`select i.relname as name, pg_get_indexdef(x.indexrelid) as def, x.indisprimary as primary
      from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public' and t.relname = ${table}`,
    { name: as.text, def: as.text, primary: as.bool },
  );
  return found.map((i) => ({
    name: i.name,
    primary: i.primary,
    columns: /USING \w+ \((.*?)\)(?: WHERE |$)/.exec(i.def)![1]!.replaceAll('"', ''),
    partial: / WHERE /.test(i.def),
  }));
}

describe('the migrated database and db/schema.ts', () => {
  it('have the same tables (partitions of events aside)', async () => {
    const found = await rows(
      db.sql,
      sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
      { name: as.text },
    );
    expect(found.map((t) => t.name)).toEqual(tables.map((t) => t.name).sort());
  });

  it.each(tables.map((t) => [t.name, t] as const))('%s: same columns, types, nulls and defaults', async (name, table) => {
    expect(await columnsOf(name)).toEqual(Object.fromEntries(table.columns.map((c) => [c.name, declared(c)])));
  });

  it.each(tables.map((t) => [t.name, t] as const))('%s: same primary key and indexes', async (name, table) => {
    const found = await indexesOf(name);
    const primary = table.primaryKeys[0]?.columns.map((c) => c.name) ?? table.columns.filter((c) => c.primary).map((c) => c.name);
    expect(found.filter((i) => i.primary).map((i) => i.columns)).toEqual(primary.length ? [primary.join(', ')] : []);
    const indexes = table.indexes.map((i) => ({
      name: i.config.name!,
      columns: i.config.columns
        .map((c) => {
          // drizzle-kit writes a descending column with NULLS LAST, as PostgreSQL prints it back
          const column = c as PgColumn & { indexConfig?: { order?: string } };
          return column.name + (column.indexConfig?.order === 'desc' ? ' DESC NULLS LAST' : '');
        })
        .join(', '),
      partial: i.config.where !== undefined,
    }));
    expect(
      found.filter((i) => !i.primary).map((i) => ({ name: i.name, columns: i.columns, partial: i.partial })).sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual(indexes.sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('partitions events by time, with a default partition for months not prepared', async () => {
    const found = await rows(
      db.sql,
      sql`select pg_get_partkeydef('events'::regclass) as key, (select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'events'::regclass and c.relname = 'events_default') as defaults`,
      { key: as.text, defaults: as.number },
    );
    expect(found).toEqual([{ key: 'RANGE (ts)', defaults: 1 }]);
  });
});
