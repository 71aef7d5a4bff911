/**
 * A migrated database for one test file: a clone of the run's PGlite template, or the PostgreSQL
 * of DATABASE_URL (shared by every file: tests use their own site ids, so they never collide).
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { openDb, type Db } from '../db/index.ts';
import { execute } from '../db/sql.ts';
import { addSite } from '../sites/index.ts';
import { createToken } from '../sites/tokens.ts';

export async function testDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (url) return openDb({ url, max: 4 });
  return emptyPglite();
}

/**
 * A migrated, empty PGlite of the file's own, also when the run is on PostgreSQL (whose database the
 * files share): for what only an empty database does (the demo's seed).
 */
export async function emptyPglite(): Promise<Db> {
  const template = inject('pgliteDump');
  const pglite = template ? await PGlite.create({ loadDataDir: new Blob([await readFile(template)]) }) : await PGlite.create();
  return openDb({ pglite });
}

/** A fresh site (unique id) with its origin and a report token. */
export async function testSite(db: Db, options: { timezone?: string; origin?: string } = {}) {
  const id = `t-${randomUUID().slice(0, 8)}.example`;
  const origin = options.origin ?? `https://${id}`;
  await addSite(db.sql, { id, origins: [origin], timezone: options.timezone });
  return { id, origin, token: await createToken(db.sql, id) };
}

/** The raw rows of a statement, for tests that look into the database (values as the driver gives them). */
export const query = <T = Record<string, unknown>>(db: Db, statement: SQL) => execute(db.sql, statement) as Promise<T[]>;

/**
 * Every table of the database with a row whose text holds `marker` (any column: the whole row cast
 * to text, jsonb and arrays included), and how many such rows: what a `pg_dump` searched for the
 * marker would find. Privacy tests expect it to be empty.
 */
export async function tablesHolding(db: Db, marker: string): Promise<Record<string, number>> {
  const tables = await query<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' order by 1`,
  );
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const [hit] = await query<{ n: string | number }>(db, sql`select count(*) as n from ${sql.identifier(name)} t where t::text like ${'%' + marker + '%'}`);
    if (Number(hit!.n)) found[name] = Number(hit!.n);
  }
  return found;
}
