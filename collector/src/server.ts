/** Runs the collector as an HTTP server: opens the database (migrating it) and serves `createApp`. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { openDb, type Db } from './db/index.ts';
import type { Env } from './env.ts';
import { startMaintenance } from './aggregate/maintenance.ts';
import { createGeo } from './enrich/geo.ts';

export interface RunningServer {
  url: string;
  db: Db;
  close(): Promise<void>;
}

export async function startServer(env: Env, db?: Db): Promise<RunningServer> {
  db ??= await openDb(env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir });
  const [stopMaintenance, geo] = await Promise.all([startMaintenance(db, { rollupEveryMs: env.rollupEveryMs }), createGeo()]);
  const app = createApp({ db, trustProxy: env.trustProxy, rateLimit: env.rateLimit, country: (ip) => geo.country(ip) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${env.host}:${port}`,
    db,
    close: async () => {
      stopMaintenance();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
