/**
 * Runs the collector as an HTTP server: opens the database (migrating it), starts the periodic jobs
 * (unless another process of the cluster runs them) and serves `createApp`. `close()` shuts down
 * gracefully: it stops taking connections, stores what the write queue holds, then closes the database.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { openDb, type Db } from './db/index.ts';
import { reachableHost, type Env } from './env.ts';
import { startMaintenance } from './aggregate/maintenance.ts';
import { createGeo } from './enrich/geo.ts';
import { startAdmin } from './cli/admin.ts';
import { acquireLockPatiently, lockFile } from './cli/lock.ts';
import { ConfigError } from './lib/errors.ts';

export interface RunningServer {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** `sdkDir`: where the SDK's scripts are built, `sdk/dist` unless said (bench/sdk.ts `--baseline` serves another build) */
export async function startServer(env: Env, db?: Db, options: { sdkDir?: string } = {}): Promise<RunningServer> {
  // the embedded database's folder is this process's alone while it runs (cli/lock.ts)
  const lock = !db && !env.databaseUrl ? await holdDataDir(env.dataDir) : undefined;
  try {
    db ??= await openDb(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const [stopMaintenance, geo] = await Promise.all([
    env.maintenance ? startMaintenance(db, { rollupEveryMs: env.rollupEveryMs }) : () => {},
    createGeo(),
  ]);
  const app = createApp({
    db,
    trustProxy: env.trustProxy,
    rateLimit: env.rateLimit,
    siteRateLimit: env.siteRateLimit,
    reportOrigins: env.reportOrigins,
    country: (ip) => geo.country(ip),
    sdkDir: options.sdkDir,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const admin = lock ? await startAdmin(db, app.forgetSite) : undefined;
  if (admin) lock!.publish(admin.url, admin.secret);
  return {
    // where this machine reaches it: a server bound to every interface (0.0.0.0) is not at 0.0.0.0
    url: `http://${reachableHost(env.host)}:${port}`,
    db,
    close: async () => {
      stopMaintenance();
      // no new connections; requests in flight finish (their batches are in the writer's queue)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await app.writer.close();
      await closed;
      await admin?.close();
      await db.close();
      lock?.release();
    },
  };
}

async function holdDataDir(dataDir: string) {
  const lock = await acquireLockPatiently(dataDir, 'serve');
  if ('held' in lock) return lock.held;
  const { pid, admin } = lock.holder;
  throw new ConfigError(
    admin
      ? `KIZUNA_DATA_DIR: ${dataDir} is in use by a Kizuna collector (process ${pid}, admin ${admin}): stop it first, or run this one on another folder`
      : `KIZUNA_DATA_DIR: ${dataDir} is locked by process ${pid} (${lock.holder.command}); if that is not Kizuna, delete ${lockFile(dataDir)}`,
  );
}

/**
 * A library's error thrown outside any request (postgres.js has thrown from a `setImmediate` while
 * the database restarted) must not end the process unnoticed: it is logged; an error of the database
 * driver leaves the process running (the pool reconnects by itself), any other ends it with code 1,
 * for the cluster's primary (`kizuna serve --workers`) to start a new worker.
 */
export function guardProcess(log = console.error): void {
  const handle = (kind: string) => (error: unknown) => {
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    const driver = /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(?:postgres|@electric-sql[\\/]pglite)[\\/]/.test(stack);
    log(`kizuna: ${kind} ${driver ? 'in the database driver (the process goes on)' : '(the process ends)'}:`, error);
    if (!driver) process.exit(1);
  };
  process.on('uncaughtException', handle('uncaught exception'));
  process.on('unhandledRejection', handle('unhandled rejection'));
}

/** Stops the server on SIGINT / SIGTERM, gracefully, and exits. */
export function stopOnSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      close().then(
        () => resolve(0),
        (err) => (console.error('kizuna: shutting down:', err), resolve(1)),
      );
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  });
}
