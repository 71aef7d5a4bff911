/**
 * Opens the database: PGlite in a folder when no URL is given (the embedded default), else
 * PostgreSQL through postgres.js. Both sides get the same two handles:
 * - `orm`, drizzle, for the schema-shaped work (sites, tokens, migrations);
 * - `query` / `tx`, plain parameterized SQL, for the hot ingest path (multi-row inserts with
 *   `unnest`, one statement per table per batch) and the aggregate report queries.
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.ts';

export const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Parameterized SQL: `$1`, `$2` … placeholders, rows as plain objects. */
export type Query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export interface Db {
  kind: 'pglite' | 'postgres';
  /** the embedded database, when it is one (tests dump it as a template) */
  pglite?: PGlite;
  orm: ReturnType<typeof drizzlePglite<typeof schema>> | ReturnType<typeof drizzlePostgres<typeof schema>>;
  query: Query;
  /** Runs `fn` in one transaction; it commits when the promise resolves. */
  tx<T>(fn: (query: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; PGlite is used when absent */
  url?: string;
  /** PGlite data folder; in memory when absent */
  dataDir?: string;
  /** an existing PGlite instance (tests clone one migrated database) */
  pglite?: PGlite;
  /** postgres.js pool size */
  max?: number;
}

/** Opens the database and applies the migrations. */
export async function openDb(options: OpenOptions = {}): Promise<Db> {
  const db = options.url ? openPostgres(options.url, options.max ?? 10) : await openPglite(options);
  await db.migrate();
  return db;
}

async function openPglite(options: OpenOptions): Promise<Db & { migrate(): Promise<void> }> {
  const pg = options.pglite ?? (await PGlite.create(options.dataDir));
  const orm = drizzlePglite({ client: pg, schema });
  const wrap = (run: { query: PGlite['query'] }): Query =>
    async <T,>(text: string, params?: unknown[]) => (await run.query<T>(text, params)).rows;
  return {
    kind: 'pglite',
    pglite: pg,
    orm,
    query: wrap(pg),
    tx: (fn) => pg.transaction((t) => fn(wrap(t))),
    close: () => pg.close(),
    migrate: () => migratePglite(orm, { migrationsFolder: MIGRATIONS }),
  };
}

function openPostgres(url: string, max: number): Db & { migrate(): Promise<void> } {
  // Nagle's algorithm stalls pipelined writes ~40 ms each (TOOLCHAIN.md): open sockets with TCP_NODELAY.
  // postgres.js supports a `socket` factory but does not declare it in its types.
  const socket = ({ host, port }: { host: string[]; port: number[] }) =>
    new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: host[0], port: port[0]!, noDelay: true });
      s.once('connect', () => resolve(s)).once('error', reject);
    });
  // JIT compilation costs more than it saves on report queries over rollups (seconds, measured).
  const sql = postgres(url, { max, onnotice: () => {}, socket, connection: { jit: 'off' } } as postgres.Options<{}>);
  const orm = drizzlePostgres({ client: sql, schema });
  // drizzle makes postgres.js pass dates through untouched (it maps them itself): send ISO strings.
  // Timestamps come back as strings here and as Dates from PGlite: readers use `new Date(x)`.
  const wrap = (run: postgres.Sql | postgres.TransactionSql): Query =>
    async <T,>(text: string, params: unknown[] = []) =>
      (await run.unsafe(text, params.map((p) => (p instanceof Date ? p.toISOString() : p)) as never[])) as unknown as T[];
  return {
    kind: 'postgres',
    orm,
    query: wrap(sql),
    tx: (fn) => sql.begin((t) => fn(wrap(t))) as never,
    close: () => sql.end({ timeout: 5 }),
    migrate: () => migratePostgres(orm, { migrationsFolder: MIGRATIONS }),
  };
}
