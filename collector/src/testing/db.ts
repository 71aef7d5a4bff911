/**
 * A migrated database for one test file: a clone of the run's PGlite template, or the PostgreSQL
 * of DATABASE_URL (shared by every file: tests use their own site ids, so they never collide).
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openDb, type Db } from '../db/index.ts';
import { addSite, createToken } from '../sites.ts';

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
  await addSite(db, { id, origins: [origin], timezone: options.timezone });
  return { id, origin, token: await createToken(db, id) };
}
