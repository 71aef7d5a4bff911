/**
 * Removing a site with all it holds. Every table of the schema with a `site_id` column is emptied of
 * the site's rows — found from the schema itself, so a table added later is not forgotten — then the
 * site row goes (its tokens with it: they reference it on delete cascade).
 */
import { eq, getTableColumns, getTableName, is, sql } from 'drizzle-orm';
import { PgTable, type AnyPgColumn } from 'drizzle-orm/pg-core';
import * as schema from '../db/schema.ts';
import { execute, type Executor } from '../db/sql.ts';
import { NotFound } from '../lib/errors.ts';

/** The tables holding rows of a site, besides `sites` itself. */
export const SITE_TABLES: PgTable[] = (Object.values(schema) as unknown[]).filter(
  (t): t is PgTable => is(t, PgTable) && t !== schema.sites && 'siteId' in getTableColumns(t),
);

/** Deletes a site and every row of it; returns how many rows went, by table. */
export async function removeSite(ex: Executor, id: string): Promise<Record<string, number>> {
  return ex.transaction(async (tx) => {
    const removed: Record<string, number> = {};
    for (const table of SITE_TABLES) {
      const siteId = (getTableColumns(table) as Record<string, AnyPgColumn>).siteId!;
      // counted in the database: a large site's events are not sent back to be counted
      const [row] = await execute(tx, sql`with gone as (delete from ${table} where ${siteId} = ${id} returning 1) select count(*)::int as n from gone`);
      if (Number(row!.n)) removed[getTableName(table)] = Number(row!.n);
    }
    const [site] = await tx.delete(schema.sites).where(eq(schema.sites.id, id)).returning({ id: schema.sites.id });
    if (!site) throw new NotFound(`unknown site: ${id}`);
    return removed;
  });
}
