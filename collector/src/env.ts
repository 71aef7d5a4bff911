/** The only file that reads `process.env`: every setting of the collector, with its default. */
import path from 'node:path';

export interface Env {
  /** postgres:// URL; unset means embedded PGlite in `dataDir` */
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  /** honour X-Forwarded-For only when the collector sits behind a proxy we trust */
  trustProxy: boolean;
  /** how often dirty rollup days are recomputed, ms */
  rollupEveryMs: number;
  /** events requests one client IP may send: `burst` at once, then `perSecond` */
  rateLimit: { perSecond: number; burst: number };
  /** events requests one site may receive from all its visitors together (a site's own setting wins) */
  siteRateLimit: { perSecond: number; burst: number };
  /** origins whose pages may read the report API (CORS) */
  reportOrigins: string[];
  /** whether this process runs the periodic jobs (rollups, retention): one process of a cluster does */
  maintenance: boolean;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    // relative to where the command was typed (pnpm runs package scripts inside the package folder)
    dataDir: path.resolve(env.INIT_CWD || process.cwd(), env.KIZUNA_DATA_DIR || 'data'),
    port: Number(env.PORT) || 8787,
    host: env.HOST || '127.0.0.1',
    trustProxy: env.KIZUNA_TRUST_PROXY === '1' || env.KIZUNA_TRUST_PROXY === 'true',
    rollupEveryMs: Number(env.KIZUNA_ROLLUP_EVERY_MS) || 5_000,
    rateLimit: rateOf(env.KIZUNA_RATE_LIMIT, { perSecond: 50, burst: 200 }),
    siteRateLimit: rateOf(env.KIZUNA_SITE_RATE_LIMIT, { perSecond: 2000, burst: 10_000 }),
    reportOrigins: (env.KIZUNA_REPORT_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    maintenance: env.KIZUNA_MAINTENANCE !== '0',
  };
}

/** `50/200`: 50 per second, bursts of 200. */
function rateOf(value: string | undefined, fallback: { perSecond: number; burst: number }) {
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return m ? { perSecond: Number(m[1]), burst: Number(m[2]) } : fallback;
}
