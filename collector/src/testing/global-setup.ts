/**
 * Runs once per test run. On PGlite (no DATABASE_URL): creates and migrates one database and dumps
 * it, so each test file clones it in ~1.5 s instead of creating its own in 6–10 s. On PostgreSQL:
 * applies the migrations once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDb } from '../db/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const db = await openDb({ url, max: 1 });
    await db.close();
    project.provide('pgliteDump', '');
    return;
  }
  const db = await openDb();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kizuna-test-'));
  const file = path.join(dir, 'template.tar.gz');
  const dump = await db.pglite!.dumpDataDir('gzip');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteDump', file);
  return () => rm(dir, { recursive: true, force: true });
}
