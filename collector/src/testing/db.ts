/**
 * A migrated database for one test file: a clone of the run's PGlite template, or the PostgreSQL
 * of DATABASE_URL (shared by every file: tests use their own site ids, so they never collide).
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import type { SQL } from 'drizzle-orm';
import { openDb, type Db } from '../db/index.ts';
import { execute } from '../db/sql.ts';
import { addSite } from '../sites/index.ts';
import { createToken } from '../sites/tokens.ts';

export async function testDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (url) return openDb({ url, max: 4 });
  const dump = await readFile(inject('pgliteDump'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
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
