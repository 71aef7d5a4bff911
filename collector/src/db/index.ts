/**
 * Opens the database: PGlite in a folder when no URL is given (the embedded default), else
 * PostgreSQL through postgres.js. Either way the collector gets one drizzle handle bound to the
 * schema (`db.sql`): every query is written with drizzle's query builder or its `sql` template over
 * the schema's tables and columns (./sql.ts), so a renamed or dropped column is a type error.
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ConfigError } from '../lib/errors.ts';
import { describeOpenError } from './errors.ts';
import * as schema from './schema.ts';
import { pgliteDriver, postgresDriver, type Driver, type Executor } from './sql.ts';

export const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface Db {
  kind: 'pglite' | 'postgres';
  /** drizzle over the schema: queries, and `db.sql.transaction(tx => …)` (a transaction is an Executor too) */
  sql: Executor;
  /** the same database for the ingest path: `sql` statements run on the driver itself (./sql.ts, Driver) */
  driver: Driver;
  /** the embedded database, when it is one (tests dump it as a template; bulk loads COPY into it) */
  pglite?: PGlite;
  /** the PostgreSQL client, when it is one (bulk loads COPY through it) */
  postgres?: postgres.Sql;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; PGlite is used when absent */
  url?: string;
  /** PGlite data folder; in memory when absent */
  dataDir?: string;
  /** an existing PGlite instance (tests clone one migrated database) */
  pglite?: PGlite;
  /** an existing postgres.js client instead of `url` (tools that watch its queries wrap one) */
  postgres?: postgres.Sql;
  /** postgres.js pool size */
  max?: number;
}

/**
 * Sockets with TCP_NODELAY: Nagle's algorithm stalls pipelined writes ~40 ms each (TOOLCHAIN.md).
 * postgres.js takes a `socket` factory (undeclared in its types) and treats what it returns as
 * connected. The socket is returned at once, still connecting: writes wait in it until it connects,
 * and a refused or broken connection reaches postgres.js as the socket's own error and close, so its
 * reconnect logic runs as it does without a factory. (A factory that waited for `connect` and
 * rejected on failure left the pooled connection with no retry timer: the pool wedged for good after
 * one outage.)
 */
const noDelaySocket = ({ host, port, path }: { host: string[]; port: number[]; path?: string }) =>
  path ? net.connect({ path }) : net.connect({ host: host[0], port: port[0]!, noDelay: true });

/** A postgres.js pool as the collector uses it. */
export const postgresClient = (url: string, max: number) =>
  postgres(url, {
    max,
    onnotice: () => {},
    socket: noDelaySocket,
    // postgres.js waits up to 20 s between attempts to reconnect after a few failures: a database
    // back from a restart would wait that long for its first write. At most 2 s, so the collector
    // recovers within seconds (bench/faults/pg-outage.ts).
    backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 2),
    // JIT compilation costs more than it saves on report queries over rollups (seconds, measured).
    connection: { jit: 'off' },
  } as postgres.Options<{}>);

/** Opens the database and applies the migrations. */
export async function openDb(options: OpenOptions = {}): Promise<Db> {
  if (options.url || options.postgres) {
    const client = options.postgres ?? postgresClient(options.url!, options.max ?? 10);
    const orm = drizzlePostgres({ client, schema });
    // drizzle hands timestamps over as strings and turns postgres.js's date serializer off: a Date
    // given to the `sql` template would reach the wire as is. Serialize it as ISO 8601 instead.
    for (const type of [1184, 1114]) client.options.serializers[type] = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
    try {
      await migratePostgres(orm, { migrationsFolder: MIGRATIONS });
    } catch (error) {
      const reason = options.url && describeOpenError(error, options.url);
      if (!reason) throw error;
      await client.end({ timeout: 1 });
      throw new ConfigError(reason, { cause: error });
    }
    return {
      kind: 'postgres',
      sql: orm as unknown as Executor,
      driver: postgresDriver(client),
      postgres: client,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const pglite = options.pglite ?? (await PGlite.create(options.dataDir));
  const orm = drizzlePglite({ client: pglite, schema });
  await migratePglite(orm, { migrationsFolder: MIGRATIONS });
  return { kind: 'pglite', sql: orm as unknown as Executor, driver: pgliteDriver(pglite), pglite, close: () => pglite.close() };
}
